package com.lockstep.kit.api;

import com.lockstep.kit.KitApi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What an endpoint answers besides {@code ok}: the key of the object (or list of objects) it
 * returns, as Seam's {@code x-response-key} names it, and whether a list comes with
 * {@code pagination}. No annotation: the answer is {@code {"ok": true}} alone. The OpenAPI document
 * describes the answer from it, and where parameters are recorded (tests) every answer written is
 * checked against it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@KitApi
public @interface SeamAnswer {

    /** The answer's key: {@code phone}, {@code phones}. */
    String value();

    /** True if the value is a list of objects. */
    boolean list() default false;

    /** True if a {@code pagination} object comes with the list. */
    boolean paginated() default false;

    /** Other keys the same value is answered under, as Seam does ({@code accessible_devices} beside {@code devices}). */
    String[] sameAs() default {};
}
