/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Signed notes, verifier keys, checkpoints and cosignatures: the C2SP
 * signed-note example, the Go sumdb/note example, and forged notes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "willing/note.h"

static const char spec_vkey[] =
    "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";
static const char spec_note[] =
    "This is an example message.\n\n"
    "\xe2\x80\x94 example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2"
    "ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n";
static const char go_vkey[] = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
static const char go_note[] =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n\n"
    "\xe2\x80\x94 PeterNeumann "
    "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqd"
    "ngotpRZb6KE6RyyBwJnAM=\n";

/* the fingerprint the explorer shows (web/js/verify.js) and `willing init` prints */
static void test_vkey_fingerprint(void **state)
{
    char fp[WL_VKEY_FINGERPRINT_LEN];
    (void)state;
    /* printf %s KEY | sha256sum: a05425c8f5f4739a4a96992c9dbd587dbe22ea38... */
    wl_vkey_fingerprint(spec_vkey, fp);
    assert_string_equal(fp, "a054 25c8 f5f4 739a 4a96 992c 9dbd 587d");
}

static void test_spec_example(void **state)
{
    wl_vkey k;
    wl_note n;
    uint8_t ok = 0;
    char back[400];
    (void)state;
    assert_int_equal(wl_vkey_parse(spec_vkey, strlen(spec_vkey), &k), WL_OK);
    assert_int_equal(k.id, 0x530d903a);
    assert_int_equal(wl_vkey_format(&k, back, sizeof back), WL_OK);
    assert_string_equal(back, spec_vkey);
    /* too small a buffer, too long a name: refused, never cut (issue 14, point 15) */
    assert_int_equal(wl_vkey_format(&k, back, strlen(spec_vkey)), WL_ERR_TOO_LARGE);
    assert_string_equal(back, "");
    {
        char longname[WL_KEYNAME_MAX + 2];
        wl_vkey cut;
        memset(longname, 'n', sizeof longname - 1);
        longname[sizeof longname - 1] = '\0';
        assert_int_equal(wl_vkey_make(longname, WL_SIGTYPE_ED25519, k.pk, &cut), WL_ERR_TOO_LARGE);
        assert_string_equal(cut.name, "");
    }
    assert_int_equal(wl_note_parse(spec_note, strlen(spec_note), &n), WL_OK);
    assert_int_equal(n.text_len, strlen("This is an example message.\n"));
    assert_int_equal(wl_note_verify(&n, &k, 1, &ok, NULL), WL_OK);
    assert_int_equal(ok, 1);
}

static void test_go_example_and_forgery(void **state)
{
    wl_vkey k, other;
    wl_note n;
    uint8_t ok[2];
    char forged[sizeof go_note];
    (void)state;
    assert_int_equal(wl_vkey_parse(go_vkey, strlen(go_vkey), &k), WL_OK);
    assert_int_equal(wl_note_parse(go_note, strlen(go_note), &n), WL_OK);
    assert_int_equal(wl_note_verify(&n, &k, 1, ok, NULL), WL_OK);
    /* a changed text fails with a known key */
    memcpy(forged, go_note, sizeof go_note);
    forged[3] = 'X';
    assert_int_equal(wl_note_parse(forged, strlen(forged), &n), WL_OK);
    assert_int_equal(wl_note_verify(&n, &k, 1, ok, NULL), WL_ERR_SIGNATURE);
    /* an unrelated key: nothing known signed it */
    assert_int_equal(wl_vkey_parse(spec_vkey, strlen(spec_vkey), &other), WL_OK);
    assert_int_equal(wl_note_parse(go_note, strlen(go_note), &n), WL_OK);
    assert_int_equal(wl_note_verify(&n, &other, 1, ok, NULL), WL_ERR_UNKNOWN_KEY);
}

static void test_bad_syntax(void **state)
{
    wl_note n;
    wl_vkey k;
    static const char *bad[] = {
        "no blank line\n\xe2\x80\x94 a AAAA\n",
        "text\n\n",
        "text\n\n-- name AAAAAAAAAAAA\n",
        "text\n\n\xe2\x80\x94 name AAAAAAAAAAAA",
        "text\x01\n\n\xe2\x80\x94 name AAAAAAAAAAAA\n",
        "text\n\n\xe2\x80\x94 na+me AAAAAAAAAAAA\n",
        "text\n\n\xe2\x80\x94 name AAAA@AAAAAAA\n",
        "\xff\xfe\n\n\xe2\x80\x94 name AAAAAAAAAAAA\n",
    };
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_not_equal(wl_note_parse(bad[i], strlen(bad[i]), &n), WL_OK);
    /* a vkey whose ID does not match its key */
    assert_int_not_equal(
        wl_vkey_parse("example.com/foo+530d903b+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k", 69,
                      &k),
        WL_OK);
}

static void test_checkpoint_and_cosignature(void **state)
{
    wl_key logk, wk;
    wl_vkey lv, wv, keys[2];
    wl_checkpoint cp, back;
    char text[512], note[1024];
    size_t tl, l1, l2;
    wl_note n;
    uint8_t ok[2];
    uint64_t times[2];
    (void)state;

    wl_key_generate(&logk);
    wl_key_generate(&wk);
    memset(&cp, 0, sizeof cp);
    memcpy(cp.origin, "example.com/log", 16);
    cp.size = 20852163;
    memset(cp.root, 7, 32);
    tl = wl_checkpoint_format(&cp, text, sizeof text);
    assert_true(tl > 0);
    assert_int_equal(wl_checkpoint_parse(text, tl, &back), WL_OK);
    assert_int_equal(back.size, cp.size);
    assert_memory_equal(back.root, cp.root, 32);

    memcpy(note, text, tl);
    note[tl] = '\n';
    l1 = wl_note_sign_line(text, tl, "example.com/log", WL_SIGTYPE_ED25519, &logk, 0, note + tl + 1,
                           300);
    l2 = wl_note_sign_line(text, tl, "witness.example/w1", WL_SIGTYPE_COSIG_V1, &wk, 1679315147,
                           note + tl + 1 + l1, 300);
    assert_true(l1 > 0 && l2 > 0);
    assert_int_equal(wl_vkey_make("example.com/log", WL_SIGTYPE_ED25519, logk.pk, &lv), WL_OK);
    assert_int_equal(wl_vkey_make("witness.example/w1", WL_SIGTYPE_COSIG_V1, wk.pk, &wv), WL_OK);
    keys[0] = lv;
    keys[1] = wv;
    assert_int_equal(wl_note_parse(note, tl + 1 + l1 + l2, &n), WL_OK);
    assert_int_equal(n.nsigs, 2);
    assert_int_equal(wl_note_verify(&n, keys, 2, ok, times), WL_OK);
    assert_int_equal(ok[0], 1);
    assert_int_equal(ok[1], 1);
    assert_int_equal(times[1], 1679315147);

    /* a cosignature whose timestamp was changed fails */
    {
        wl_note n2 = n;
        n2.sigs[1].sig[7] ^= 1;
        assert_int_equal(wl_note_verify(&n2, keys, 2, ok, times), WL_ERR_SIGNATURE);
    }
    /* a quorum: each witness key on its own, a bad line counts as none */
    {
        wl_key w2k;
        wl_vkey ws[2];
        uint8_t v[2];
        uint64_t t[2];
        char why[300];
        wl_note n2 = n;
        wl_key_generate(&w2k);
        ws[0] = wv;
        assert_int_equal(wl_vkey_make("witness.example/w2", WL_SIGTYPE_COSIG_V1, w2k.pk, &ws[1]),
                         WL_OK);
        assert_int_equal(wl_note_cosigned(&n, ws, 2, v, t), 1);
        assert_int_equal(v[0], 1);
        assert_int_equal(v[1], 0);
        assert_int_equal(t[0], 1679315147);
        assert_int_equal(t[1], 0);
        assert_int_equal(wl_note_quorum(ws, v, 2, 1, why, sizeof why), WL_OK);
        assert_int_equal(wl_note_quorum(ws, v, 2, 2, why, sizeof why), WL_ERR_SIGNATURE);
        assert_string_equal(why, "1 valid cosignature of the 2 witnesses given, 2 required; "
                                 "valid: witness.example/w1; none valid from: witness.example/w2");
        assert_int_equal(wl_note_quorum(ws, v, 2, 0, why, sizeof why), WL_OK);
        n2.sigs[1].sig[7] ^= 1; /* w1's line no longer verifies: none from w1 */
        assert_int_equal(wl_note_cosigned(&n2, ws, 2, v, t), 0);
        assert_int_equal(v[0], 0);
        assert_int_equal(wl_note_quorum(ws, v, 2, 1, why, sizeof why), WL_ERR_SIGNATURE);
        assert_string_equal(why, "0 valid cosignatures of the 2 witnesses given, 1 required; "
                                 "none valid from: witness.example/w1, witness.example/w2");
        /* the log's own signature still verifies on its own */
        assert_int_equal(wl_note_verify(&n2, keys, 1, ok, NULL), WL_OK);
    }
    /* malformed checkpoints */
    assert_int_not_equal(wl_checkpoint_parse("o\n01\nAAAA\n", 11, &back), WL_OK);
    assert_int_not_equal(wl_checkpoint_parse("o\n1\nAAAA\n", 9, &back), WL_OK);
    assert_int_not_equal(wl_checkpoint_parse("\n1\nAAAA\n", 8, &back), WL_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spec_example),
        cmocka_unit_test(test_vkey_fingerprint),
        cmocka_unit_test(test_go_example_and_forgery),
        cmocka_unit_test(test_bad_syntax),
        cmocka_unit_test(test_checkpoint_and_cosignature),
    };
    if (wl_crypto_init() != WL_OK)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
