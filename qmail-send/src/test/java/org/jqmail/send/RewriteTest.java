package org.jqmail.send;

import static org.jqmail.send.QueueFixture.b;
import static org.jqmail.send.QueueFixture.s;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RewriteTest {
    @TempDir
    Path home;
    Controls ctl;

    @BeforeEach
    void setUp() throws IOException {
        QueueFixture f = new QueueFixture(home);
        f.control("locals", "example.test\nLocalHost");
        f.control("envnoathost", "noat.example");
        f.control("percenthack", "relay.example\nhop.example");
        f.control("virtualdomains", "virt.example:vu\n.sub.example:subu\nfred@virt.example:fredu\n"
                + "except.sub.example:\n:catchall");
        ctl = f.controls();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "me@example.test|0|me@example.test",
        "me@EXAMPLE.Test|0|me@EXAMPLE.Test",
        "Me@localhost|0|Me@localhost",
        "bare|0|catchall-bare@noat.example",
        "u%h@relay.example|0|catchall-u@h",
        "u%v%w@relay.example|0|catchall-u%v@w",
        "u%hop.example@relay.example|0|catchall-u@hop.example",
        "a%b%example.test@hop.example|0|a%b@example.test",
        "x@relay.example|0|catchall-x@relay.example",
        "joe@virt.example|0|vu-joe@virt.example",
        "fred@VIRT.example|0|fredu-fred@VIRT.example",
        "ann@a.sub.example|0|subu-ann@a.sub.example",
        "ann@sub.example|0|catchall-ann@sub.example",
        "bob@except.sub.example|1|bob@except.sub.example",
        "x@elsewhere.example|0|catchall-x@elsewhere.example",
    })
    void rewritesAsQmailSendDoes(String in, int chan, String out) {
        Rewrite.Result r = Rewrite.rewrite(b(in), ctl);
        assertEquals(out, s(r.addr()));
        assertEquals(chan, r.channel() == Rewrite.LOCAL ? 0 : 1);
    }

    @Test
    void withoutCatchAllUnknownDomainsAreRemote() throws IOException {
        QueueFixture f = new QueueFixture(home);
        f.control("virtualdomains", "virt.example:vu");
        Controls c = f.controls();
        Rewrite.Result r = Rewrite.rewrite(b("x@other.example"), c);
        assertEquals(Rewrite.REMOTE, r.channel());
        assertEquals("x@other.example", s(r.addr()));
        Rewrite.Result noat = Rewrite.rewrite(b("postmaster"), c);
        assertEquals("postmaster@noat.example", s(noat.addr()));
        assertEquals(Rewrite.REMOTE, noat.channel());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "list-@example.test-@[]|bob@b.example|list-bob=b.example@example.test",
        "list-@example.test-@[]|nobox|list-@example.test-@[]",
        "plain@example.test|bob@b.example|plain@example.test",
        "-@[]|bob@b.example|-@[]",
        "x-@[]|bob@b.example|x-@[]",
        "''|bob@b.example|''",
    })
    void verpExpandsSenderPerRecipient(String sender, String recip, String out) {
        assertEquals(out, s(Rewrite.verp(b(sender), b(recip))));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "vu-joe@virt.example|joe@virt.example",
        "subu-ann@a.sub.example|ann@a.sub.example",
        "other-joe@virt.example|other-joe@virt.example",
        "vu@virt.example|vu@virt.example",
        "fredu-fred@virt.example|fredu-fred@virt.example",
        "catchall-x@elsewhere.example|x@elsewhere.example",
        "bob@except.sub.example|bob@except.sub.example",
        "noat|noat",
    })
    void bouncesUndoTheVirtualDomainPrefix(String in, String out) {
        assertEquals(out, s(Rewrite.stripVdomPrepend(b(in), ctl.vdoms)));
    }
}
