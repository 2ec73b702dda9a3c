package io.github.purecnn;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a public member (or a public type) of an API package that is not part of the public API:
 * it is public only because Java has no visibility between the library's own packages (the model
 * running a layer's kernels, an optimizer reading a gradient). Code outside purecnn must not call,
 * override or depend on it; it may change or disappear in any release, patch releases included,
 * and the API compatibility check leaves it out.
 *
 * <p>Everything else that is public in the packages the module exports is the public API, and
 * changes only as semantic versioning allows (see the README's "Versioning").
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.CONSTRUCTOR, ElementType.FIELD})
public @interface Internal {
}
