package org.jqmail.io.nat;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.channels.Channel;

/**
 * The file descriptor number behind one of the JDK's own socket channels, for the one call
 * the JDK does not offer on it: the peer's pid of a Unix-domain connection
 * ({@link Posix#peerCred}; the JDK's {@code SO_PEERCRED} option gives only user and group).
 *
 * <p>The JDK keeps the number in a method of its non-exported {@code sun.nio.ch} package, so
 * this works only when the runtime runs with
 * {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED} (the daemons' launchers pass it);
 * without it {@link #of} answers -1 and the caller does without. The number is valid only
 * while the channel is open, and only for a call on the channel's own thread or before
 * anyone can close it.
 */
public final class ChannelFd {
    private ChannelFd() {
    }

    private static final class Holder {
        static final MethodHandle FD_VAL = find();

        private static MethodHandle find() {
            try {
                Class<?> c = Class.forName("sun.nio.ch.SelChImpl");
                return MethodHandles.lookup().findVirtual(c, "getFDVal", MethodType.methodType(int.class));
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                return null;
            }
        }
    }

    /** True if {@link #of} can see descriptors in this runtime. */
    public static boolean available() {
        return Holder.FD_VAL != null;
    }

    /** The descriptor of {@code ch}, or -1 if this runtime does not let us see it. */
    public static int of(Channel ch) {
        MethodHandle h = Holder.FD_VAL;
        if (h == null) {
            return -1;
        }
        try {
            return (int) h.invoke(ch);
        } catch (Throwable t) {
            // Not one of the JDK's selectable channels, or access refused.
            return -1;
        }
    }
}
