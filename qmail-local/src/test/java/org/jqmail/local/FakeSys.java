package org.jqmail.local;

import org.jqmail.io.Bytes;

/** A clock that moves only when told to or when someone sleeps. */
final class FakeSys implements Sys {
    long now = 1_000_000_000L; // Sun Sep  9 01:46:40 2001 UTC
    long millis;
    long slept;
    int sleeps;

    @Override
    public long now() {
        return now;
    }

    @Override
    public long millis() {
        return millis;
    }

    @Override
    public void sleep(long ms) {
        sleeps++;
        slept += ms;
        millis += ms;
        now += ms / 1000;
    }

    @Override
    public byte[] hostname() {
        return Bytes.ascii("host.example");
    }

    @Override
    public long pid() {
        return 4242;
    }

    @Override
    public boolean umask077() {
        return true;
    }
}
