package com.lockstep.credential.domain;

/** Seam's access methods; the wire name is the enum name. */
public enum AccessMethod {
    code,
    card,
    mobile_key,
    cloud_key
}
