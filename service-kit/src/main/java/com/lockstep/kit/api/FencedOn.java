package com.lockstep.kit.api;

import com.lockstep.kit.KitApi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The consumed topics whose projections an endpoint's answer depends on; the read fence waits for
 * those only. None ({@code @FencedOn({})}): it answers from rows no consumer writes and does not
 * wait for consumers at all. Without this annotation it fences on every topic the service consumes.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@KitApi
public @interface FencedOn {
    String[] value();
}
