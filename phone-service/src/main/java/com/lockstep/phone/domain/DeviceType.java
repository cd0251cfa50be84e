package com.lockstep.phone.domain;

/** Seam's phone device types; the wire name is the enum name. */
public enum DeviceType {
    ios_phone,
    android_phone
}
