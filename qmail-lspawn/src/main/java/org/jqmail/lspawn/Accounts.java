package org.jqmail.lspawn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import org.jqmail.io.nat.Nat;
import org.jqmail.io.nat.Posix;

/** The system's user database and file ownership, as qmail-getpw sees them. */
interface Accounts {
    /** getpwnam(3): null if there is no such user. */
    Posix.Passwd getpwnam(String name) throws IOException;

    /** The owner uid of {@code path} (stat(2), following links); throws with the errno. */
    int owner(String path) throws IOException;

    /** The real system: getpwnam through the native layer, stat through the JDK. */
    Accounts SYSTEM = new Accounts() {
        @Override
        public Posix.Passwd getpwnam(String name) throws IOException {
            return Nat.posix().getpwnam(name);
        }

        @Override
        public int owner(String path) throws IOException {
            Object uid = Files.getAttribute(Paths.get(path), "unix:uid");
            return (Integer) uid;
        }
    };
}
