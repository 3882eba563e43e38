package org.jqmail.local;

import static org.jqmail.local.T.argv;
import static org.jqmail.local.T.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EnvTest {
    private static final long NOW = 810362814L; // Wed Sep 06 04:46:54 1995

    private static Env env(String local, String ext, String host, String sender) throws Exception {
        return Env.of(Args.parse(argv("joe", "/home/joe", local, "-", ext, host, sender, "./Mailbox"),
                Output.NONE), NOW);
    }

    @Test
    void variablesInQmailsOrder() throws Exception {
        Env e = env("joe-list-a", "list-a", "mail.example.com", "bob@example.net");
        assertEquals(List.of("HOST", "HOME", "USER", "LOCAL", "RECIPIENT", "DTLINE", "SENDER", "RPLINE",
                "UFLINE", "EXT", "EXT2", "EXT3", "EXT4", "HOST2", "HOST3", "HOST4"),
                List.copyOf(e.vars().keySet()));
        assertEquals("mail.example.com", s(e.vars().get("HOST")));
        assertEquals("/home/joe", s(e.vars().get("HOME")));
        assertEquals("joe", s(e.vars().get("USER")));
        assertEquals("joe-list-a", s(e.vars().get("LOCAL")));
        assertEquals("joe-list-a@mail.example.com", s(e.vars().get("RECIPIENT")));
        assertEquals("Delivered-To: joe-list-a@mail.example.com\n", s(e.vars().get("DTLINE")));
        assertEquals("bob@example.net", s(e.vars().get("SENDER")));
        assertEquals("Return-Path: <bob@example.net>\n", s(e.vars().get("RPLINE")));
        assertEquals("From bob@example.net Wed Sep 06 04:46:54 1995\n", s(e.vars().get("UFLINE")));
        assertNull(e.vars().get("DEFAULT"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "''|''|''|''",
        "a|''|''|''",
        "a-b|b|''|''",
        "a-b-c|b-c|c|''",
        "a-b-c-d|b-c-d|c-d|d",
        "a-b-c-d-e|b-c-d-e|c-d-e|d-e",
        "-|''|''|''",
        "a--b|-b|b|''"})
    void extSplitsAtDashes(String ext, String e2, String e3, String e4) throws Exception {
        Env e = env("joe-x", ext, "h", "s");
        assertEquals(ext, s(e.vars().get("EXT")));
        assertEquals(e2, s(e.vars().get("EXT2")));
        assertEquals(e3, s(e.vars().get("EXT3")));
        assertEquals(e4, s(e.vars().get("EXT4")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "a.b.c.d.e|a.b.c.d|a.b.c|a.b",
        "mail.example.com|mail.example|mail|mail",
        "localhost|localhost|localhost|localhost",
        "example.com|example|example|example",
        ".com|''|''|''",
        "''|''|''|''"})
    void hostStopsShrinkingWhenDotsRunOut(String host, String h2, String h3, String h4) throws Exception {
        Env e = env("joe", "", host, "s");
        assertEquals(h2, s(e.vars().get("HOST2")));
        assertEquals(h3, s(e.vars().get("HOST3")));
        assertEquals(h4, s(e.vars().get("HOST4")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|Return-Path: <>",
        "bob@example.net|Return-Path: <bob@example.net>",
        "b o b@example.net|Return-Path: <\"b o b\"@example.net>",
        "#@[]|Return-Path: <#@[]>",
        "a.@x|Return-Path: <\"a.\"@x>",
        "noat|Return-Path: <noat>"})
    void rplineQuotesTheSender(String sender, String rpline) throws Exception {
        assertEquals(rpline + "\n", s(env("joe", "", "h", sender).rpline()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|From MAILER-DAEMON Wed Sep 06 04:46:54 1995",
        "bob@example.net|From bob@example.net Wed Sep 06 04:46:54 1995",
        "a b\tc@x|From a-b-c@x Wed Sep 06 04:46:54 1995"})
    void uflineReplacesBlanksAndNamesTheBounceSender(String sender, String ufline) throws Exception {
        assertEquals(ufline + "\n", s(env("joe", "", "h", sender).ufline()));
    }

    @Test
    void newlinesInHeaderLinesBecomeUnderscores() throws Exception {
        Env e = env("jo\ne", "", "h\nx", "a\nb@c");
        assertEquals("Delivered-To: jo_e@h_x\n", s(e.dtline()));
        assertEquals("Return-Path: <\"a\\_b\"@c>\n", s(e.rpline()));
        // RECIPIENT is not sanitised.
        assertEquals("jo\ne@h\nx", s(e.vars().get("RECIPIENT")));
        assertEquals("From a-b@c Wed Sep 06 04:46:54 1995\n", s(e.ufline()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "P.D.Q.Bach|p:d:q:bach",
        "POSTmaster|postmaster",
        "Foo-Bar.Baz-DEFAULT|foo-bar:baz-default",
        "\u00c4bc|\u00c4bc",
        "''|''"})
    void safeextFoldsAsciiCaseAndDots(String ext, String safe) throws Exception {
        assertEquals(safe, s(env("joe", ext, "h", "s").safeext()));
    }
}
