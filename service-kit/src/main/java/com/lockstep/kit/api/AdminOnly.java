package com.lockstep.kit.api;

import com.lockstep.kit.KitApi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** An operator's endpoint: it takes the admin token ({@code lockstep.admin-token}), not a workspace's API key. */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@KitApi
public @interface AdminOnly {
}
