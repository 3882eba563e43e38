package org.jqmail.io.nat;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * {@link Crypt} through the JDK's foreign-function interface (java.lang.foreign, final in Java
 * 22). The bytecode targets Java 17, where that API does not exist, so it is reached by
 * reflection: the method handle for crypt is made once, and each call costs a few reflective
 * calls around it.
 */
final class FfmCrypt implements Crypt.Impl {
    /** How far a returned hash is read: libxcrypt's longest output is 384 bytes. */
    private static final long MAX_HASH = 4096;

    private final MethodHandle crypt;
    private final Method ofConfined;
    private final Method allocate;
    private final Method asByteBuffer;
    private final Method fill;
    private final Method address;
    private final Method reinterpret;
    private final Method close;

    FfmCrypt() throws ReflectiveOperationException {
        Class<?> linkerC = Class.forName("java.lang.foreign.Linker");
        Class<?> lookupC = Class.forName("java.lang.foreign.SymbolLookup");
        Class<?> arenaC = Class.forName("java.lang.foreign.Arena");
        Class<?> descC = Class.forName("java.lang.foreign.FunctionDescriptor");
        Class<?> layoutC = Class.forName("java.lang.foreign.MemoryLayout");
        Class<?> valueC = Class.forName("java.lang.foreign.ValueLayout");
        Class<?> segC = Class.forName("java.lang.foreign.MemorySegment");
        Class<?> optionC = Class.forName("java.lang.foreign.Linker$Option");
        Class<?> allocC = Class.forName("java.lang.foreign.SegmentAllocator");

        Object linker = linkerC.getMethod("nativeLinker").invoke(null);
        Object global = arenaC.getMethod("global").invoke(null);
        Object lookup = lookupC.getMethod("libraryLookup", String.class, arenaC)
                .invoke(null, "libcrypt.so.1", global);
        Optional<?> sym = (Optional<?>) lookupC.getMethod("find", String.class).invoke(lookup, "crypt");
        if (sym.isEmpty()) {
            throw new NoSuchMethodException("crypt not found in libcrypt.so.1");
        }
        Object addr = valueC.getField("ADDRESS").get(null);
        Object args = Array.newInstance(layoutC, 2);
        Array.set(args, 0, addr);
        Array.set(args, 1, addr);
        Object desc = descC.getMethod("of", layoutC, args.getClass()).invoke(null, addr, args);
        Object noOptions = Array.newInstance(optionC, 0);
        // Called with Object arguments through invokeExact: one adaptation made here, where
        // invokeWithArguments would spin a spreader and invokers at the call.
        crypt = ((MethodHandle) linkerC.getMethod("downcallHandle", segC, descC, noOptions.getClass())
                .invoke(linker, sym.get(), desc, noOptions)).asType(MethodType.genericMethodType(2));
        ofConfined = arenaC.getMethod("ofConfined");
        allocate = allocC.getMethod("allocate", long.class);
        asByteBuffer = segC.getMethod("asByteBuffer");
        fill = segC.getMethod("fill", byte.class);
        address = segC.getMethod("address");
        reinterpret = segC.getMethod("reinterpret", long.class);
        close = arenaC.getMethod("close");
    }

    @Override
    public byte[] crypt(byte[] key, byte[] setting) throws IOException {
        try {
            Object arena = ofConfined.invoke(null);
            Object k = null;
            try {
                k = segment(arena, key);
                Object s = segment(arena, setting);
                Object r = (Object) crypt.invokeExact(k, s);
                if ((long) address.invoke(r) == 0) {
                    return null;
                }
                ByteBuffer b = (ByteBuffer) asByteBuffer.invoke(reinterpret.invoke(r, MAX_HASH));
                int n = 0;
                while (n < MAX_HASH && b.get(n) != 0) {
                    n++;
                }
                if (n == MAX_HASH) {
                    return null;
                }
                byte[] h = new byte[n];
                b.get(0, h);
                return h;
            } finally {
                if (k != null) {
                    fill.invoke(k, (byte) 0);
                }
                close.invoke(arena);
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("crypt failed: " + t, t);
        }
    }

    /** A NUL-terminated copy of {@code b} in {@code arena}. */
    private Object segment(Object arena, byte[] b) throws ReflectiveOperationException {
        Object seg = allocate.invoke(arena, (long) b.length + 1);
        ByteBuffer buf = (ByteBuffer) asByteBuffer.invoke(seg);
        buf.put(b);
        buf.put((byte) 0);
        return seg;
    }
}
