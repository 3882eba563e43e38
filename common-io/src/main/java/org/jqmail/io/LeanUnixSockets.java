package org.jqmail.io;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.Provider;
import java.security.SecureRandomSpi;
import java.security.Security;

/**
 * Makes the JDK's Unix-domain sockets cheap to start in a short-lived program that uses no
 * cryptography (qmail-smtpd under tcpserver, whose only socket of its own is the one to
 * qmail-queued).
 *
 * <p>The first Unix-domain {@code SocketChannel} of a JVM initializes
 * {@code sun.nio.ch.UnixDomainSockets}, which asks the security framework for a
 * {@code NativePRNGNonBlocking} random (used only to name the temporary file of an unnamed
 * bind, which jqmail never does). That loads the JDK's whole security configuration and
 * builds the SUN provider with its hundreds of services: some 20-30 ms of CPU in a process
 * that lives for one SMTP connection, more than everything else it does after start-up.
 *
 * <p>{@link #prepare()}, called first thing in {@code main}, before anything uses the
 * security framework, replaces the JDK's security properties by an empty set (the
 * documented {@code java.security.properties} override, so no provider is configured and
 * none is loaded) and installs one provider with that single algorithm, reading
 * {@code /dev/urandom} as the JDK's own does. Any other security service then fails with
 * {@code NoSuchAlgorithmException}: only for programs that need none. If the installation
 * forbids the override ({@code security.overridePropertiesFile=false}) the configured
 * providers stay, ours goes first, and the start-up is only as slow as without this class.
 *
 * <p>The same first channel looks for a {@code SelectorProvider} service on the class path
 * before it takes the JDK's default, a search that opens every jar of the class path (twenty
 * for a jqmail program, some 10 ms): {@link #prepare()} names the JDK's own default, on
 * Linux, in the system property that the search comes after.
 *
 * <p>Installing a provider ({@code Security.insertProviderAt}) also resets the JDK's caches
 * of algorithm names, which initializes its table of some 400 known OIDs: about 6 ms of CPU
 * more, interpreted. When the launcher exports {@code java.base/sun.security.jca} to the
 * class path (scripts/install does for lean programs on JDK 25 and later, together with
 * {@code -Djdk.reflect.useNativeAccessorOnly=true}, which keeps the two reflective calls
 * from generating classes), {@link #prepare()} instead hands the one provider to the JDK
 * as the calling thread's provider list, the mechanism the JDK itself uses while it verifies
 * signed jars, and initializes the Unix-domain socket layer under it right away; the socket
 * layer, once initialized, asks for no random again, so any thread may then make sockets.
 * The list stays in place for the calling thread; other threads see no provider at all,
 * where the fallback gives them ours too (jqmail's short-lived programs use no other security
 * service). Without the export (JDK 17 to 24, or another launcher) it takes the fallback.
 *
 * <p>With {@code QMAILQUEUE} set, {@link #prepare()} does nothing: the program then runs that
 * queue program through native code (jnr-posix's posix_spawn), and jnr-ffi, loading its native
 * library, asks the JDK's SUN provider for a SHA-1 digest, which the lean set-up leaves out
 * (on JDK 25 no thread but the calling one has a provider at all). Those programs start
 * with the JDK's full security configuration, some milliseconds slower; so does any program
 * whose launcher or JDK defeats the override.
 */
public final class LeanUnixSockets {
    private static final String NAME = "JqmailUrandom";
    /** The queue program's variable (qmail-queue(8)): a program that needs native code. */
    private static final String QMAILQUEUE = "QMAILQUEUE";
    private static final String SELECTOR_PROPERTY = "java.nio.channels.spi.SelectorProvider";
    /** The JDK's default selector provider on Linux (sun.nio.ch.DefaultSelectorProvider). */
    private static final String EPOLL = "sun.nio.ch.EPollSelectorProvider";
    /** The JDK's provider-list package (exported by the launcher of lean programs on JDK 25+). */
    private static final String JCA = "sun.security.jca";
    /** The class whose initialization asks for the random (JDK 16 and later). */
    private static final String UNIX_DOMAIN_SOCKETS = "sun.nio.ch.UnixDomainSockets";

    private LeanUnixSockets() {
    }

    /**
     * Configures the security framework as described above. Call at most once, before
     * anything else in the process uses the security framework or opens a channel.
     */
    public static void prepare() {
        if (System.getenv(QMAILQUEUE) != null) {
            return;
        }
        System.setProperty("java.security.properties", "=/dev/null");
        if (System.getProperty(SELECTOR_PROPERTY) == null && bootClass(EPOLL)) {
            System.setProperty(SELECTOR_PROPERTY, EPOLL);
        }
        if (!threadProviders()) {
            Security.insertProviderAt(new UrandomProvider(), 1);
        }
    }

    /**
     * Makes ours this thread's provider list and initializes the Unix-domain socket layer
     * under it, if {@code sun.security.jca} is exported to this class's module; false, having
     * changed nothing, otherwise.
     */
    private static boolean threadProviders() {
        Module base = Object.class.getModule();
        if (!base.isExported(JCA, LeanUnixSockets.class.getModule())) {
            return false;
        }
        try {
            Class<?> listClass = Class.forName(JCA + ".ProviderList", false, null);
            Class<?> providers = Class.forName(JCA + ".Providers", false, null);
            Object list = listClass.getMethod("newList", Provider[].class)
                    .invoke(null, (Object) new Provider[] {new UrandomProvider()});
            providers.getMethod("beginThreadProviderList", listClass).invoke(null, list);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            // Another JDK's internals: the documented way below.
            return false;
        }
        try {
            Class.forName(UNIX_DOMAIN_SOCKETS, true, null);
        } catch (ClassNotFoundException | LinkageError e) {
            // No Unix-domain sockets in this JDK: nothing to make cheap.
        }
        return true;
    }

    private static boolean bootClass(String name) {
        try {
            Class.forName(name, false, null);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** The one provider: {@code SecureRandom.NativePRNGNonBlocking}, no reflection. */
    private static final class UrandomProvider extends Provider {
        private static final long serialVersionUID = 1L;

        UrandomProvider() {
            super(NAME, "1", "NativePRNGNonBlocking from /dev/urandom, for jqmail's short-lived programs");
            putService(new UrandomService(this));
        }
    }

    private static final class UrandomService extends Provider.Service {
        UrandomService(Provider p) {
            super(p, "SecureRandom", "NativePRNGNonBlocking", Urandom.class.getName(), null, null);
        }

        @Override
        public Object newInstance(Object parameter) {
            return new Urandom();
        }
    }

    /** Bytes from {@code /dev/urandom}, read when asked for (never, in practice). */
    private static final class Urandom extends SecureRandomSpi {
        private static final long serialVersionUID = 1L;

        @Override
        protected void engineSetSeed(byte[] seed) {
            // The kernel's pool needs no seed from us.
        }

        @Override
        protected void engineNextBytes(byte[] bytes) {
            try (InputStream in = new FileInputStream("/dev/urandom")) {
                if (in.readNBytes(bytes, 0, bytes.length) != bytes.length) {
                    throw new IOException("short read from /dev/urandom");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        protected byte[] engineGenerateSeed(int n) {
            byte[] b = new byte[n];
            engineNextBytes(b);
            return b;
        }
    }
}
