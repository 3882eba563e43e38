package org.jqmail.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.net.ConnectException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

class ErrorsTest {
    @Test
    void qmailTextsAndClassesForJdkExceptions() {
        assertEquals("file does not exist", Errors.str(new NoSuchFileException("/x")));
        assertFalse(Errors.isTemporary(new NoSuchFileException("/x")));
        assertEquals("access denied", Errors.str(new AccessDeniedException("/x")));
        assertEquals("out of disk space",
                Errors.str(new FileSystemException("/x", null, "No space left on device")));
        assertTrue(Errors.isTemporary(new FileSystemException("/x", null, "No space left on device")));
        assertEquals("connection refused", Errors.str(new ConnectException("Connection refused")));
        assertTrue(Errors.isTemporary(new ConnectException("Connection refused")));
        assertEquals("access denied", Errors.str(new FileNotFoundException("/etc/shadow (Permission denied)")));
    }

    @Test
    void unknownCausesAreTemporary() {
        assertEquals("unknown error", Errors.str(new java.io.IOException("weird")));
        assertTrue(Errors.isTemporary(new java.io.IOException("weird")));
    }

    @Test
    void errnoTableMatchesErrorTemp() {
        assertTrue(Errors.isTemporary(Errors.EAGAIN));
        assertTrue(Errors.isTemporary(Errors.EDQUOT));
        assertFalse(Errors.isTemporary(Errors.EACCES));
        assertFalse(Errors.isTemporary(Errors.ENOENT));
        assertEquals("temporary failure", Errors.str(Errors.EAGAIN));
        assertEquals("symbolic link loop", Errors.str(Errors.ELOOP));
        assertEquals(Errors.EIO, Errors.errno(new Errors.ErrnoException("read", Errors.EIO)));
    }
}
