package org.jqmail.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every document a file in the repository cites is in the repository: a reader of a clone can
 * follow every reference. A unit test (no processes), run by every {@code mvn verify}.
 *
 * <p>It reads every text file of the source tree (not {@code .git}, {@code target/} or the
 * other build and run outputs) and reports, with file and line:
 * <ul>
 * <li>a citation of the design inputs that live outside the repository: a section of the
 *     interface specification, its file, and the design, style and notes pages;</li>
 * <li>a path into the shared directory beside the checkout, except the benchmark's load
 *     driver, a program {@code bench/smtp} runs, not a document;</li>
 * <li>a Markdown file name that names no file of the repository (resolved against the citing
 *     file's directory, the repository's root, or, for a bare name, any directory);</li>
 * <li>a section ({@code §n} after the name of a file in {@code doc/}) that the file has no
 *     heading for.</li>
 * </ul>
 * qmail's own documents are cited as qmail's ({@code qmail-send(8)}, qmail's
 * {@code INTERNALS}), which none of these rules matches.
 */
class RepositoryCitationsTest {
    /** Directories that hold no source: version control, build output, local installs, IDEs. */
    private static final Set<String> SKIP_DIRS = Set.of(".git", "target", ".mvn", ".idea", "run");
    /** Files larger than this are not source (and not read). */
    private static final long MAX_SIZE = 4L * 1024 * 1024;

    /** Pieces joined at run time, so that this file does not cite what it looks for. */
    private static final String MD = "\\.md";
    /** Design pages that were never in the repository (reported once, by their rule). */
    private static final Pattern DESIGN_PAGE = Pattern.compile("\\b(DESIGN|STYLE|NOTES|THOUGHTS|INTERNALS)" + MD + "\\b");
    private static final List<Rule> RULES = List.of(
            new Rule(Pattern.compile("\\bspec\\s*\u00a7"), "cites the interface specification, which is not in the repository"),
            new Rule(DESIGN_PAGE, "cites a design page that is not in the repository"),
            new Rule(Pattern.compile("qmail-interfaces" + MD), "cites the interface specification, which is not in the repository"),
            new Rule(Pattern.compile("\\.\\./shared/(?!bench/smtp-load\\.py)"),
                    "points outside the repository"));
    /** A Markdown file name, with the path before it if any. */
    private static final Pattern MD_NAME = Pattern.compile("[A-Za-z0-9_./-]*[A-Za-z0-9_-]" + MD + "\\b");
    /** A doc/ file name followed by sections: {@code QUEUE.md §3}, {@code §3.1, §3.2 and §4}. */
    private static final Pattern DOC_SECTIONS = Pattern.compile(
            "([A-Z][A-Z_]*)" + MD + "[)}]?\\s*((?:\u00a7\\s*\\d+(?:\\.\\d+)*)(?:(?:,\\s*|\\s+and\\s+|\\s*[-\u2013]\\s*)\u00a7\\s*\\d+(?:\\.\\d+)*)*)");
    private static final Pattern SECTION = Pattern.compile("\u00a7\\s*(\\d+(?:\\.\\d+)*)");
    private static final Pattern HEADING = Pattern.compile("^#+\\s+(\\d+(?:\\.\\d+)*)\\.?\\s");

    private record Rule(Pattern pattern, String why) {
    }

    private static Path root() {
        String r = System.getProperty("jqmail.root");
        Path p = r != null ? Path.of(r) : Path.of("").toAbsolutePath().getParent();
        return p.toAbsolutePath().normalize();
    }

    @Test
    void everyCitedDocumentIsInTheRepository() throws IOException {
        Path root = root();
        assertTrue(Files.isRegularFile(root.resolve("pom.xml")) && Files.isDirectory(root.resolve("doc")),
                "not the repository's root: " + root);
        Map<Path, String> texts = new HashMap<>();
        Set<String> names = new HashSet<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes a) {
                return !dir.equals(root) && SKIP_DIRS.contains(dir.getFileName().toString())
                        ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                names.add(f.getFileName().toString());
                String text = a.isRegularFile() && a.size() <= MAX_SIZE ? text(f) : null;
                if (text != null) {
                    texts.put(f, text);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        assertTrue(texts.size() > 100, "found only " + texts.size() + " text files under " + root);
        List<String> problems = new ArrayList<>();
        Map<String, Set<String>> sections = new HashMap<>();
        for (Map.Entry<Path, String> e : texts.entrySet()) {
            check(root, e.getKey(), e.getValue(), names, sections, problems);
        }
        problems.sort(null);
        assertEquals("", String.join("\n", problems), problems.size() + " citation(s) of documents not in the repository");
    }

    /** The file's text, or null if it looks binary (a NUL in its first 8 KiB). */
    private static String text(Path f) throws IOException {
        byte[] b;
        try (InputStream in = Files.newInputStream(f)) {
            b = in.readAllBytes();
        }
        for (int i = 0; i < Math.min(b.length, 8192); i++) {
            if (b[i] == 0) {
                return null;
            }
        }
        return new String(b, StandardCharsets.UTF_8);
    }

    private static void check(Path root, Path file, String text, Set<String> names,
                              Map<String, Set<String>> sections, List<String> problems) throws IOException {
        String rel = root.relativize(file).toString();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String where = rel + ":" + (i + 1) + ": ";
            for (Rule r : RULES) {
                if (r.pattern().matcher(line).find()) {
                    problems.add(where + r.why() + ": " + line.strip());
                }
            }
            Matcher m = MD_NAME.matcher(line);
            while (m.find()) {
                String name = m.group();
                if (m.start() > 0 && line.charAt(m.start() - 1) == ':' || DESIGN_PAGE.matcher(name).find()) {
                    continue; // a URL's path (outside by design), or reported above
                }
                if (!exists(root, file, name, names)) {
                    problems.add(where + "names " + name + ", which is not in the repository");
                }
            }
            Matcher d = DOC_SECTIONS.matcher(line);
            while (d.find()) {
                Path doc = root.resolve("doc").resolve(d.group(1) + ".md");
                if (!Files.isRegularFile(doc)) {
                    continue; // a name outside doc/ (README.md, say): no numbered sections to check
                }
                Set<String> have = sections.computeIfAbsent(doc.toString(), k -> headings(doc));
                Matcher s = SECTION.matcher(d.group(2));
                while (s.find()) {
                    if (!have.contains(s.group(1))) {
                        problems.add(where + "cites doc/" + d.group(1) + ".md \u00a7" + s.group(1)
                                + ", which has no such section");
                    }
                }
            }
        }
    }

    private static boolean exists(Path root, Path file, String name, Set<String> names) {
        if (!name.contains("/")) {
            return names.contains(name);
        }
        String n = name.startsWith("./") ? name.substring(2) : name;
        return Files.isRegularFile(file.getParent().resolve(n).normalize())
                || Files.isRegularFile(root.resolve(n).normalize());
    }

    /** The numbers of a Markdown file's numbered headings ({@code ## 3.}, {@code ### 3.1 Title}). */
    private static Set<String> headings(Path doc) {
        Set<String> have = new HashSet<>();
        try {
            for (String l : Files.readAllLines(doc, StandardCharsets.UTF_8)) {
                Matcher h = HEADING.matcher(l);
                if (h.find()) {
                    have.add(h.group(1));
                }
            }
        } catch (IOException e) {
            // Reported as missing sections.
        }
        return have;
    }
}
