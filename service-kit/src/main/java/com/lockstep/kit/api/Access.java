package com.lockstep.kit.api;

/** Who may call an endpoint. */
public enum Access {
    /** A workspace's API key ({@code Authorization: Bearer seam_...}); the request is scoped to that workspace. */
    API_KEY,
    /** The operator's admin token from configuration ({@code lockstep.admin-token}). */
    ADMIN
}
