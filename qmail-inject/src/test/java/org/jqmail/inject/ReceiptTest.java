package org.jqmail.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.jqmail.io.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** qreceipt: which messages get a notice, and its exact text and envelope. */
class ReceiptTest {
    final InjectTest.FakeQq qq = new InjectTest.FakeQq();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int run(String target, String sender, String message) {
        return new Receipt(Bytes.ascii(target), Bytes.ascii(sender), () -> {
            qq.opened = true;
            return qq;
        }, err).run(new ByteArrayInputStream(Bytes.ascii(message)));
    }

    @Test
    void aRequestForThisAddressGetsTheNotice() {
        assertEquals(0, run("joe@example.org", "Mary <m>@x.example",
                "Message-ID: <1.2@x>\nNotice-Requested-Upon-Delivery-To: bob@example.org,\n"
                        + "  \"joe\"@Example.org (no), Joe <joe@example.org>\nSubject: hi\n\nbody\n"));
        assertEquals("From: DELIVERY NOTICE SYSTEM <\"Mary <m>\"@x.example>\n"
                + "To: <\"Mary <m>\"@x.example>\n"
                + "Subject: success notice\n\n"
                + "Hi! This is the qreceipt program. Your message was delivered to the\n"
                + "following address: joe@example.org. Thanks for asking.\n"
                + "Your Message-ID: <1.2@x>\n", Bytes.str(qq.message.toByteArray()));
        assertEquals("", qq.sender);
        assertEquals(List.of("Mary <m>@x.example"), qq.rcpts);
        assertEquals("", Bytes.str(err.toByteArray()));
    }

    @Test
    void withoutAMessageIdTheNoticeEndsAfterItsThanks() {
        assertEquals(0, run("joe@example.org", "s@x", "notice-requested-upon-delivery-to: joe@example.org\n\n"));
        assertEquals("following address: joe@example.org. Thanks for asking.\n",
                Bytes.str(qq.message.toByteArray()).lines().reduce((a, b) -> b).orElseThrow() + "\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Subject: none\n\nNotice-Requested-Upon-Delivery-To: joe@example.org\n",
        "Notice-Requested-Upon-Delivery-To: Joe@example.org\n\n",
        "Notice-Requested-Upon-Delivery-To: joe@example.org.\n\n",
        "Return-Receipt-To: joe@example.org\n\n",
    })
    void noRequestForExactlyThisAddressIsNoNotice(String message) {
        assertEquals(0, run("joe@example.org", "s@x", message));
        assertFalse(qq.opened);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "#@[]"})
    void noNoticeToTheEmptyOrDoubleBounceSender(String sender) {
        assertEquals(0, run("j@x", sender, "Notice-Requested-Upon-Delivery-To: j@x\n\n"));
        assertFalse(qq.opened);
    }

    @Test
    void anUnparsableRequestIsAPermanentFailure() {
        assertEquals(100, run("j@x", "s@x", "Notice-Requested-Upon-Delivery-To: j@x, a:b\n\n"));
        assertEquals("qreceipt: fatal: unable to parse this: Notice-Requested-Upon-Delivery-To: j@x, a:b\n",
                Bytes.str(err.toByteArray()));
        assertFalse(qq.opened);
    }

    @Test
    void queueErrors() {
        qq.status = "Dsorry";
        assertEquals(100, run("j@x", "s@x", "Notice-Requested-Upon-Delivery-To: j@x\n\n"));
        assertEquals("qreceipt: fatal: permanent qmail-queue error\n", Bytes.str(err.toByteArray()));
        err.reset();
        qq.status = "Zlater";
        assertEquals(111, run("j@x", "s@x", "Notice-Requested-Upon-Delivery-To: j@x\n\n"));
        assertEquals("qreceipt: fatal: temporary qmail-queue error\n", Bytes.str(err.toByteArray()));
        err.reset();
        assertEquals(111, new Receipt(Bytes.ascii("j@x"), Bytes.ascii("s@x"), () -> {
            throw new IOException("no");
        }, err).run(new ByteArrayInputStream(Bytes.ascii("Notice-Requested-Upon-Delivery-To: j@x\n\n"))));
        assertEquals("qreceipt: fatal: unable to fork\n", Bytes.str(err.toByteArray()));
    }

    @Test
    void skipNameIsHfieldSkipname() {
        assertEquals(9, HeaderField.skipName(Bytes.ascii("Subject: x"), 10));
        assertEquals(12, HeaderField.skipName(Bytes.ascii("Subject:\t\r\n x"), 13));
        assertEquals(4, HeaderField.skipName(Bytes.ascii("none"), 4));
    }
}
