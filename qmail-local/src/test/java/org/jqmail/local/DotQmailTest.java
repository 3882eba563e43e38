package org.jqmail.local;

import org.jqmail.control.TempFail;
import static org.jqmail.local.T.b;
import static org.jqmail.local.T.s;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DotQmailTest {
    @TempDir
    Path home;

    private void file(String name, String content, String perms) throws IOException {
        Path p = home.resolve(name);
        Files.write(p, b(content));
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
    }

    private void files(String... names) throws IOException {
        for (String n : names) {
            file(n, n + "\n", "rw-r--r--");
        }
    }

    /** The name found for EXT, with DEFAULT as "name [DEFAULT]", or "none". */
    private String find(String dash, String ext) throws Exception {
        DotQmail.Found f = new DotQmail(home, b(dash), Env.safeext(b(ext))).search(b(ext));
        if (f == null) {
            return "none";
        }
        f.ch().close();
        return s(f.name()) + (f.defaultValue() == null ? "" : " [" + s(f.defaultValue()) + "]");
    }

    @ParameterizedTest
    @CsvSource({
        "a-b-c, .qmail-a-b-c",
        "a-b-x, .qmail-a-b-default [x]",
        "a-x-y, .qmail-a-default [x-y]",
        "z, .qmail-default [z]",
        "A-B-C, .qmail-a-b-c",
        "A-b-X, .qmail-a-b-default [X]",
        "a-b-, .qmail-a-b-default []",
        "'', .qmail-default []"})
    void mostSpecificFileWinsAndDefaultKeepsTheOriginalCase(String ext, String expected) throws Exception {
        files(".qmail-a-b-c", ".qmail-a-b-default", ".qmail-a-default", ".qmail-default");
        assertEquals(expected, find("-", ext));
    }

    @Test
    void lookupOrderForAnExtensionEndingInADash() throws Exception {
        assertEquals("none", find("-", "a-b-"));
        files(".qmail-default");
        assertEquals(".qmail-default [a-b-]", find("-", "a-b-"));
        files(".qmail-a-default");
        assertEquals(".qmail-a-default [b-]", find("-", "a-b-"));
        files(".qmail-a-b-default");
        assertEquals(".qmail-a-b-default []", find("-", "a-b-"));
        files(".qmail-a-b-");
        assertEquals(".qmail-a-b-", find("-", "a-b-"));
    }

    @Test
    void anExactDefaultFileSetsDefaultToItsTail() throws Exception {
        files(".qmail-foo-default");
        assertEquals(".qmail-foo-default [default]", find("-", "foo-default"));
        assertEquals(".qmail-foo-default [DEFAULT]", find("-", "Foo-DEFAULT"));
    }

    @Test
    void dotsBecomeColonsInTheFileName() throws Exception {
        files(".qmail-p:d:q:bach");
        assertEquals(".qmail-p:d:q:bach", find("-", "P.D.Q.Bach"));
    }

    @Test
    void emptyDashAndExtTryDotQmailThenDotQmaildefault() throws Exception {
        assertEquals("none", find("", ""));
        files(".qmaildefault");
        assertEquals(".qmaildefault []", find("", ""));
        files(".qmail");
        assertEquals(".qmail", find("", ""));
    }

    @Test
    void onlyRegularFilesCount() throws Exception {
        Files.createDirectory(home.resolve(".qmail-dir"));
        Files.createSymbolicLink(home.resolve(".qmail-dangling"), home.resolve("nowhere"));
        Files.createSymbolicLink(home.resolve(".qmail-null"), Path.of("/dev/null"));
        files(".qmail-default");
        assertEquals(".qmail-default [dir]", find("-", "dir"));
        assertEquals(".qmail-default [dangling]", find("-", "dangling"));
        assertEquals(".qmail-default [null]", find("-", "null"));
    }

    @Test
    void symlinkToARegularFileCounts() throws Exception {
        files("target");
        Files.createSymbolicLink(home.resolve(".qmail-link"), home.resolve("target"));
        assertEquals(".qmail-link", find("-", "link"));
    }

    @Test
    void otherWritableFileIsRefused() throws Exception {
        file(".qmail-w", "x\n", "rw-rw-rw-");
        TempFail f = assertThrows(TempFail.class, () -> find("-", "w"));
        assertEquals("Uh-oh: .qmail file is writable. (#4.7.0)", s(f.text()));
    }

    @Test
    void groupWritableFileIsAcceptedWithPatrn002() throws Exception {
        file(".qmail-g", "x\n", "rw-rw-r--");
        assertEquals(".qmail-g", find("-", "g"));
    }

    @Test
    void ownerExecuteBitMeansForwardOnly() throws Exception {
        file(".qmail-x", "x\n", "rwxr--r--");
        file(".qmail-y", "y\n", "rw-r-xr-x");
        DotQmail dq = new DotQmail(home, b("-"), b("x"));
        DotQmail.Found f = dq.search(b("x"));
        assertTrue(f.forwardOnly());
        assertArrayEquals(b("x\n"), DotQmail.read(f));
        DotQmail.Found g = new DotQmail(home, b("-"), b("y")).search(b("y"));
        assertFalse(g.forwardOnly());
        g.ch().close();
    }

    @Test
    void unreadableDirectoryOnTheWayDefers() throws Exception {
        if (isRoot()) {
            return; // root reads everything; the root IT covers real users
        }
        file(".qmail-r", "x\n", "-w-------");
        TempFail f = assertThrows(TempFail.class, () -> find("-", "r"));
        assertEquals("Unable to open .qmail-r: access denied. (#4.3.0)", s(f.text()));
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    @Test
    void fileLargerThanTheCapIsOutOfMemory() throws Exception {
        Files.write(home.resolve(".qmail-big"), new byte[DotQmail.MAX + 1]);
        Files.setPosixFilePermissions(home.resolve(".qmail-big"), PosixFilePermissions.fromString("rw-r--r--"));
        DotQmail.Found f = new DotQmail(home, b("-"), b("big")).search(b("big"));
        TempFail t = assertThrows(TempFail.class, () -> DotQmail.read(f));
        assertEquals("Out of memory. (#4.3.0)", s(t.text()));
    }

    @Test
    void fileAtTheCapIsRead() throws Exception {
        Files.write(home.resolve(".qmail-cap"), new byte[DotQmail.MAX]);
        DotQmail.Found f = new DotQmail(home, b("-"), b("cap")).search(b("cap"));
        assertEquals(DotQmail.MAX, DotQmail.read(f).length);
    }

    private String newsender(String ext, String sender) throws Exception {
        return s(new DotQmail(home, b("-"), Env.safeext(b(ext))).newsender(b(sender), b("joe-" + ext),
                b("example.com")));
    }

    @Test
    void newsenderIsTheSenderWithoutOwnerFiles() throws Exception {
        assertEquals("bob@x.org", newsender("list", "bob@x.org"));
    }

    @Test
    void newsenderIsOwnerWithAnOwnerFileOfAnyType() throws Exception {
        Files.createDirectory(home.resolve(".qmail-list-owner"));
        assertEquals("joe-list-owner@example.com", newsender("list", "bob@x.org"));
        assertEquals("joe-List-owner@example.com", newsender("List", "bob@x.org"));
    }

    @Test
    void newsenderIsVerpWithOwnerDefault() throws Exception {
        files(".qmail-list-owner", ".qmail-list-owner-default");
        assertEquals("joe-list-owner-@example.com-@[]", newsender("list", "bob@x.org"));
    }

    @Test
    void bouncesAndDoubleBouncesKeepTheirSender() throws Exception {
        files(".qmail-list-owner", ".qmail-list-owner-default");
        assertEquals("", newsender("list", ""));
        assertEquals("#@[]", newsender("list", "#@[]"));
    }

    @Test
    void ownerDefaultAloneIsNotEnough() throws Exception {
        files(".qmail-list-owner-default");
        assertEquals("bob@x.org", newsender("list", "bob@x.org"));
    }

    @Test
    void noFileAtAllIsNull() throws Exception {
        assertNull(new DotQmail(home, b("-"), b("x")).search(b("x")));
    }
}
