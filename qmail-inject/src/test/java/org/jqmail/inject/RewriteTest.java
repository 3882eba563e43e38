package org.jqmail.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.jqmail.inject.Token822.Token;
import org.jqmail.io.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** rwgeneric through token822_addrlist: qmail-inject(8)'s rewriting, case by case, with its corners. */
class RewriteTest {
    static Rewrite berkeley() {
        return new Rewrite(Token822.parse(Bytes.ascii("@silverton.berkeley.edu")),
                Token822.parse(Bytes.ascii(".berkeley.edu")), Token822.parse(Bytes.ascii(".berkeley.edu")));
    }

    /** Rewrites the field; returns the printed field and the collected envelope addresses. */
    static String[] field(String f) {
        Rewrite rw = berkeley();
        List<String> env = new ArrayList<>();
        List<Token> t = Token822.parse(Bytes.ascii(f));
        List<Token> out = AddrList.rewrite(t, a -> {
            rw.generic(a);
            env.add(Bytes.str(Rewrite.envelope(a)));
        });
        return new String[] {out == null ? null : Bytes.str(Token822.unparse(out, Header.LINELEN)),
            String.join(" ", env)};
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "djb|djb@silverton.berkeley.edu",
        "djb@silverton|djb@silverton.berkeley.edu",
        "eric@mammoth.cs+|eric@mammoth.cs.berkeley.edu",
        "foo@bar+|foo@bar.berkeley.edu",
        "djb+|djb+@silverton.berkeley.edu",
        "x@[]|x@[]",
        "user@[1.2.3.4]|user@[1.2.3.4]",
        "@a,@b:user@host.dom|user@host.dom",
        "user@host.|user@host.berkeley.edu",
        "user@|user@silverton.berkeley.edu",
        "a.b|a.b@silverton.berkeley.edu",
        "POSTmaster|POSTmaster@silverton.berkeley.edu",
        "\"a b\"@x.y|a b@x.y",
        "a@localhost|a@localhost.berkeley.edu"})
    void addressesAreCompletedAsQmailInjectDoes(String in, String env) {
        assertEquals(env, field("To: " + in)[1]);
    }

    @Test
    void emptyAndRouteOnlyAddressesStayEmpty() {
        assertEquals("To: <>\n", field("To: <>")[0]);
        assertEquals("", field("To: <>")[1]);
        assertEquals("To: <>\n", field("To: <@x>")[0]);
        assertEquals("To: <>\n", field("To: <.>")[0]);
    }

    @Test
    void addressesAreCollectedRightToLeftAndMissingCommasInserted() {
        String[] r = field("To: djb fred");
        assertEquals("To: djb@silverton.berkeley.edu, fred@silverton.berkeley.edu\n", r[0]);
        assertEquals("fred@silverton.berkeley.edu djb@silverton.berkeley.edu", r[1]);
    }

    @Test
    void phrasesAndCommentsPassThrough() {
        String[] r = field("To: \"Dan B\" <djb>, (note) eric (E)");
        // Right-to-left collection moves a comment that precedes an address behind it.
        assertEquals("To: \"Dan B\" <djb@silverton.berkeley.edu>,\n  eric@silverton.berkeley.edu (note) (E)\n",
                r[0]);
        assertEquals("eric@silverton.berkeley.edu djb@silverton.berkeley.edu", r[1]);
    }

    @Test
    void groupsAreUnderstoodAndBadListsRefused() {
        String[] r = field("To: friends: a, b;, c");
        assertEquals("To: friends: a@silverton.berkeley.edu, b@silverton.berkeley.edu;,\n"
                + "  c@silverton.berkeley.edu\n", r[0].length() > 0 ? r[0] : null);
        assertNull(field("To: a:b")[0]);
        assertNull(field("To: a>")[0]);
        assertNull(field("To: g: a;;")[0]);
    }
}
