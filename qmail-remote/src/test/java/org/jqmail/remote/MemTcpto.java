package org.jqmail.remote;

/** An in-memory timeout table that counts its lock/release pairs. */
final class MemTcpto implements Tcpto.Store {
    final byte[] table = new byte[Tcpto.SIZE];
    int size = Tcpto.SIZE;
    boolean unreadable;
    int locked;
    int writes;

    @Override
    public int lockAndRead(byte[] buf) {
        if (unreadable) {
            return -1;
        }
        if (locked != 0) {
            throw new IllegalStateException("lock taken twice");
        }
        locked++;
        System.arraycopy(table, 0, buf, 0, size);
        return size;
    }

    @Override
    public void write(int offset, byte[] buf, int off, int len) {
        if (locked != 1) {
            throw new IllegalStateException("write without lock");
        }
        writes++;
        System.arraycopy(buf, off, table, offset, len);
    }

    @Override
    public void release() {
        locked--;
    }
}
