package com.lockstep.kit.api;

import com.lockstep.kit.KitApi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The HTTP method Seam's SDK calls an endpoint with, which it takes besides POST: {@code GET} or
 * {@code DELETE} with a query string, {@code PATCH} or {@code PUT} with a JSON body. Resource
 * methods are declared {@code @POST}; {@link SeamRequestFilters} lets this method through as POST.
 * An endpoint taken with {@code GET} is a read: it changes nothing, so it may run twice
 * ({@link ConsistencyInterceptor}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@KitApi
public @interface SdkMethod {
    String value();
}
