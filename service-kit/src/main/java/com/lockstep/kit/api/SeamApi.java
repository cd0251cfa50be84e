package com.lockstep.kit.api;

import com.lockstep.kit.KitApi;
import jakarta.interceptor.InterceptorBinding;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A JAX-RS resource served with Seam's rules: every method answers only once what it read is
 * fenced and what it wrote is published ({@link ConsistencyInterceptor}).
 */
@InterceptorBinding
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@KitApi
public @interface SeamApi {
}
