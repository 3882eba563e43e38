package org.jqmail.io;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the few places allowed to use an API that forbiddenapis bans project-wide: the
 * {@code main} methods that end the JVM and the {@link Out} class that owns stdout/stderr.
 * The reason must be given, so a reviewer sees why the rule does not apply.
 */
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.FIELD, ElementType.CONSTRUCTOR})
public @interface SuppressForbidden {
    /** Why the banned API is needed here. */
    String reason();
}
