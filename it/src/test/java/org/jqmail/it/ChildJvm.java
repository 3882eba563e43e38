package org.jqmail.it;

import java.util.ArrayList;
import java.util.List;

/**
 * The argv of a child JVM running one of the test main classes with this JVM's java and class
 * path. Perf data is off so a child that drops root leaves no hsperfdata file behind.
 */
final class ChildJvm {
    private ChildJvm() {
    }

    static String java() {
        return ProcessHandle.current().info().command().orElseThrow();
    }

    static List<String> argv(Class<?> main, String... args) {
        List<String> a = new ArrayList<>(List.of(java(), "-XX:-UsePerfData",
                "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        a.addAll(List.of(args));
        return a;
    }
}
