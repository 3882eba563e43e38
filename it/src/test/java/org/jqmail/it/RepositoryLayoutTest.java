package org.jqmail.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Comment;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The tree keeps the shape doc/ARCHITECTURE.md §2 describes: a unit test (no processes) that
 * every {@code mvn verify} runs, like {@link RepositoryCitationsTest}.
 *
 * <ul>
 * <li>No file under any {@code src/main} has more than {@value #MAX_LINES} lines (doc/CODING.md):
 *     a reader takes in one file at a time, as with qmail's programs.</li>
 * <li>Module dependencies go one way: a program module ({@code qmail-*}) on {@code control}
 *     and {@code common-io}, {@code control} on {@code common-io}, {@code common-io} on no module
 *     of ours. The one exception, qmail-rspawn on qmail-remote, must say why in its pom.</li>
 * <li>{@code control} holds only classes that two or more program modules use (directly, or
 *     through other classes of {@code control}); a class with one user belongs in that user's
 *     module. {@link #ONE_USER_ALLOWED} lists the exceptions, each with its reason.</li>
 * </ul>
 */
class RepositoryLayoutTest {
    static final int MAX_LINES = 450;

    /** The only dependency of one program module on another (doc/ARCHITECTURE.md §2). */
    private static final Set<String> PROGRAM_EDGES = Set.of("qmail-rspawn -> qmail-remote");

    /**
     * Classes of control with one program user that stay there anyway. CdbMake is the writing
     * half of the cdb codec whose reading half ({@code Cdb}) qmail-smtpd, qmail-lspawn and
     * qmail-tools share; qmail-tools writes cdb files (qmail-newmrh, qmail-newu) and the tests of
     * qmail-smtpd and qmail-lspawn build theirs with it, so that both halves are one codec, as the
     * queue socket's framing is.
     */
    private static final Set<String> ONE_USER_ALLOWED = Set.of("CdbMake");

    private static final Pattern CONTROL_CLASS_REF = Pattern.compile("\\borg\\.jqmail\\.control\\.([A-Z]\\w*)");
    private static final Pattern CONTROL_WILDCARD = Pattern.compile("\\bimport\\s+org\\.jqmail\\.control\\.\\*\\s*;");

    private static Path root() {
        String r = System.getProperty("jqmail.root");
        Path p = r != null ? Path.of(r) : Path.of("").toAbsolutePath().getParent();
        return p.toAbsolutePath().normalize();
    }

    /** The reactor's modules, from the root pom (profiles included), as paths relative to root. */
    private static List<String> modules(Path root) throws Exception {
        Document d = pom(root.resolve("pom.xml"));
        NodeList ns = d.getElementsByTagName("module");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < ns.getLength(); i++) {
            out.add(ns.item(i).getTextContent().strip());
        }
        assertTrue(out.contains("control") && out.contains("common-io"), "modules: " + out);
        return out;
    }

    private static Document pom(Path p) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(p.toFile());
    }

    private static String artifactId(Document d) {
        for (Node n = d.getDocumentElement().getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals("artifactId")) {
                return e.getTextContent().strip();
            }
        }
        throw new AssertionError("pom without artifactId");
    }

    /** The artifactIds of our own modules that this pom depends on (any scope). */
    private static Set<String> ourDependencies(Document d, Set<String> ours) {
        Set<String> out = new TreeSet<>();
        NodeList deps = d.getElementsByTagName("dependency");
        for (int i = 0; i < deps.getLength(); i++) {
            Element dep = (Element) deps.item(i);
            if (dep.getParentNode().getParentNode() != d.getDocumentElement()) {
                continue; // dependencyManagement or a plugin's dependencies: no edge of the build
            }
            String a = dep.getElementsByTagName("artifactId").item(0).getTextContent().strip();
            if (ours.contains(a)) {
                out.add(a);
            }
        }
        return out;
    }

    private static boolean isProgram(String artifact) {
        return artifact.startsWith("qmail-");
    }

    @Test
    void noSourceFileIsLongerThan450Lines() throws IOException {
        Path root = root();
        List<String> problems = new ArrayList<>();
        int seen = 0;
        try (Stream<Path> s = Files.walk(root)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                String rel = root.relativize(f).toString().replace('\\', '/');
                if (rel.startsWith(".git/") || rel.contains("/target/") || !rel.contains("/src/main/")) {
                    continue;
                }
                seen++;
                long lines;
                try (Stream<String> l = Files.lines(f, StandardCharsets.ISO_8859_1)) {
                    lines = l.count();
                }
                if (lines > MAX_LINES) {
                    problems.add(rel + ": " + lines + " lines");
                }
            }
        }
        assertTrue(seen > 100, "found only " + seen + " files under src/main");
        assertEquals("", String.join("\n", problems), "files under src/main over " + MAX_LINES + " lines");
    }

    @Test
    void modulesDependOnlyDownwards() throws Exception {
        Path root = root();
        Map<String, Document> poms = new TreeMap<>();
        Map<String, Path> dirs = new TreeMap<>();
        for (String m : modules(root)) {
            Document d = pom(root.resolve(m).resolve("pom.xml"));
            poms.put(artifactId(d), d);
            dirs.put(artifactId(d), root.resolve(m));
        }
        Set<String> ours = poms.keySet();
        List<String> problems = new ArrayList<>();
        Set<String> edgesSeen = new TreeSet<>();
        for (Map.Entry<String, Document> e : poms.entrySet()) {
            String a = e.getKey();
            Set<String> deps = ourDependencies(e.getValue(), ours);
            for (String dep : deps) {
                String edge = a + " -> " + dep;
                boolean ok;
                if (a.equals("common-io")) {
                    ok = false;
                } else if (a.equals("control")) {
                    ok = dep.equals("common-io");
                } else if (isProgram(a)) {
                    ok = dep.equals("control") || dep.equals("common-io") || PROGRAM_EDGES.contains(edge);
                    if (PROGRAM_EDGES.contains(edge)) {
                        edgesSeen.add(edge);
                        if (!hasComment(e.getValue(), "exception")) {
                            problems.add(edge + ": the exception's pom does not say why (an XML comment with \"exception\")");
                        }
                    }
                } else {
                    ok = true; // scripts, it, bench: they assemble and test the programs
                }
                if (!ok) {
                    problems.add(edge + ": not program -> control -> common-io");
                }
            }
        }
        assertEquals(PROGRAM_EDGES, edgesSeen, "the declared exception is gone: remove it from this test");
        assertEquals("", String.join("\n", problems), "module dependencies");
    }

    private static boolean hasComment(Node n, String word) {
        if (n instanceof Comment c && c.getData().contains(word)) {
            return true;
        }
        for (Node k = n.getFirstChild(); k != null; k = k.getNextSibling()) {
            if (hasComment(k, word)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void controlHoldsOnlyWhatTwoProgramsUse() throws Exception {
        Path root = root();
        Path controlSrc = root.resolve("control/src/main/java/org/jqmail/control");
        Map<String, String> control = new TreeMap<>();
        try (Stream<Path> s = Files.list(controlSrc)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".java")).toList()) {
                String n = f.getFileName().toString();
                control.put(n.substring(0, n.length() - 5), code(f));
            }
        }
        assertTrue(control.size() > 10, "control classes: " + control.keySet());
        Map<String, Set<String>> inside = new TreeMap<>();
        for (Map.Entry<String, String> e : control.entrySet()) {
            Set<String> r = words(e.getValue(), control.keySet());
            r.remove(e.getKey());
            inside.put(e.getKey(), r);
        }
        Map<String, Set<String>> users = new TreeMap<>();
        control.keySet().forEach(c -> users.put(c, new TreeSet<>()));
        for (String m : modules(root)) {
            Path main = root.resolve(m).resolve("src/main/java");
            if (!isProgram(Path.of(m).getFileName().toString()) || !Files.isDirectory(main)) {
                continue;
            }
            Set<String> direct = new TreeSet<>();
            try (Stream<Path> s = Files.walk(main)) {
                for (Path f : s.filter(p -> p.toString().endsWith(".java")).toList()) {
                    direct.addAll(controlRefs(code(f), control.keySet()));
                }
            }
            for (String c : closure(direct, inside)) {
                users.get(c).add(m);
            }
        }
        String problems = users.entrySet().stream()
                .filter(e -> e.getValue().size() < 2 && !ONE_USER_ALLOWED.contains(e.getKey()))
                .map(e -> "control/" + e.getKey() + ".java: used by " + (e.getValue().isEmpty() ? "no program module"
                        : "only " + e.getValue().iterator().next() + " (move it there)"))
                .collect(Collectors.joining("\n"));
        assertEquals("", problems, "classes in control used by fewer than two program modules");
        for (String c : ONE_USER_ALLOWED) {
            assertTrue(control.containsKey(c), c + " has left control: remove it from ONE_USER_ALLOWED");
        }
    }

    /** The control classes a program's source file names: by import, by full name, or through a wildcard. */
    private static Set<String> controlRefs(String code, Set<String> names) {
        Set<String> out = new TreeSet<>();
        Matcher m = CONTROL_CLASS_REF.matcher(code);
        while (m.find()) {
            if (names.contains(m.group(1))) {
                out.add(m.group(1));
            }
        }
        if (CONTROL_WILDCARD.matcher(code).find()) {
            out.addAll(words(code, names));
        }
        return out;
    }

    private static Set<String> words(String code, Set<String> names) {
        Set<String> out = new TreeSet<>();
        Matcher m = Pattern.compile("\\b[A-Z]\\w*\\b").matcher(code);
        while (m.find()) {
            if (names.contains(m.group())) {
                out.add(m.group());
            }
        }
        return out;
    }

    private static Set<String> closure(Set<String> start, Map<String, Set<String>> edges) {
        Set<String> seen = new TreeSet<>();
        Deque<String> todo = new ArrayDeque<>(start);
        while (!todo.isEmpty()) {
            String c = todo.pop();
            if (seen.add(c)) {
                todo.addAll(edges.getOrDefault(c, Set.of()));
            }
        }
        return seen;
    }

    /** A Java file's code: comments and string literals removed, so that prose names nothing. */
    private static String code(Path f) throws IOException {
        String s = Files.readString(f, StandardCharsets.UTF_8);
        s = s.replaceAll("(?s)/\\*.*?\\*/", " ");
        s = s.replaceAll("//[^\n]*", " ");
        return s.replaceAll("\"(?:\\\\.|[^\"\\\\\n])*\"", "\"\"");
    }
}
