package com.lockstep.kit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * service-kit's public API: the types a service may use. Everything else in the kit is its own
 * machinery and may change without notice; system-tests' {@code KitApiTest} fails when a service,
 * an example or deploy/local imports a kit type not marked with this.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface KitApi {
}
