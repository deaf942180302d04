/*
 * Host unit tests of the C protocol code: byte for byte against the golden vectors
 * (vectors/vectors.json, turned into build/vectors.h), plus bounds and damage handling,
 * and the small helpers of hipthrust_device.c (the rest of it runs in device_session.c).
 * Prints one line per failed check and a summary; exit status 0 only if all passed.
 */
#include <stdio.h>
#include <string.h>

#include "hipthrust_device.h"
#include "hipthrust_protocol.h"
#include "vectors.h"

static int checks;
static int failures;

#define CHECK(cond, ...)                                                                   \
    do {                                                                                   \
        checks++;                                                                          \
        if (!(cond)) {                                                                     \
            failures++;                                                                    \
            printf("FAIL %s:%d: ", __FILE__, __LINE__);                                    \
            printf(__VA_ARGS__);                                                           \
            printf("\n");                                                                  \
        }                                                                                  \
    } while (0)

#define CANARY 0xA5u
#define BUF_SIZE 1100u

/* Check one encoder result against the expected bytes; the bytes after it stay untouched. */
static void check_wire(const char *name, const uint8_t *buf, size_t len, const uint8_t *wire,
                       size_t wire_len)
{
    CHECK(len == wire_len, "%s: length %zu, expected %zu", name, len, wire_len);
    CHECK(len == wire_len && memcmp(buf, wire, wire_len) == 0, "%s: bytes differ", name);
    CHECK(buf[wire_len] == CANARY, "%s: wrote past the frame", name);
}

/* Every encoder must refuse a buffer one byte too small without writing past it. */
#define CHECK_ENCODER(encode, v)                                                           \
    do {                                                                                   \
        uint8_t buf[BUF_SIZE];                                                             \
        memset(buf, CANARY, sizeof buf);                                                   \
        check_wire((v).name, buf, encode(buf, sizeof buf, (v).seq, &(v).msg), (v).wire,    \
                   (v).wire_len);                                                          \
        memset(buf, CANARY, sizeof buf);                                                   \
        CHECK(encode(buf, (v).wire_len - 1, (v).seq, &(v).msg) == 0,                       \
              "%s: accepted a too small buffer", (v).name);                                \
        CHECK(buf[(v).wire_len - 1] == CANARY, "%s: overflowed a small buffer", (v).name); \
        CHECK(encode(NULL, 0, (v).seq, &(v).msg) == 0, "%s: accepted NULL", (v).name);     \
    } while (0)

static void test_crc(void)
{
    CHECK(ht_crc16(HT_CRC16_INIT, CRC_CHECK_DATA, sizeof CRC_CHECK_DATA) == CRC_CHECK_VALUE,
          "CRC check value");
    CHECK(CRC_CHECK_VALUE == 0x29B1u, "vectors hold the published check value");
}

static void test_cobs(void)
{
    for (size_t i = 0; i < VEC_COUNT(VEC_COBS); i++) {
        const vec_cobs_t *v = &VEC_COBS[i];
        uint8_t enc[600];
        uint8_t dec[600];
        size_t n = 0;
        size_t len = ht_cobs_encode(v->raw, v->raw_len, enc, sizeof enc);
        CHECK(len == v->cobs_len && memcmp(enc, v->cobs, len) == 0, "cobs case %zu encode", i);
        CHECK(ht_cobs_decode(v->cobs, v->cobs_len, dec, sizeof dec, &n) == 0 &&
                  n == v->raw_len && memcmp(dec, v->raw, n) == 0,
              "cobs case %zu decode", i);
        CHECK(ht_cobs_encode(v->raw, v->raw_len, enc, v->cobs_len - 1) == 0,
              "cobs case %zu: too small buffer accepted", i);
    }
    {
        const uint8_t truncated[] = {0x05, 0x01};
        const uint8_t zero[] = {0x03, 0x01, 0x00};
        uint8_t out[8];
        size_t n;
        CHECK(ht_cobs_decode(truncated, sizeof truncated, out, sizeof out, &n) != 0, "truncated");
        CHECK(ht_cobs_decode(zero, sizeof zero, out, sizeof out, &n) != 0, "zero in block");
    }
}

static void test_encoders(void)
{
    for (size_t i = 0; i < VEC_COUNT(VEC_SAMPLES); i++) {
        CHECK_ENCODER(ht_encode_samples, VEC_SAMPLES[i]);
    }
    for (size_t i = 0; i < VEC_COUNT(VEC_INFO); i++) {
        CHECK_ENCODER(ht_encode_info, VEC_INFO[i]);
    }
    for (size_t i = 0; i < VEC_COUNT(VEC_STATUS); i++) {
        CHECK_ENCODER(ht_encode_status, VEC_STATUS[i]);
    }
    for (size_t i = 0; i < VEC_COUNT(VEC_ACK); i++) {
        CHECK_ENCODER(ht_encode_ack, VEC_ACK[i]);
    }
}

static void test_encoders_refuse_bad_arguments(void)
{
    static const int16_t raw[(HT_MAX_SAMPLES + 1) * 6] = {0};
    uint8_t buf[BUF_SIZE];
    ht_samples_t s = {0, 1000, 16, 2000, 0, raw};
    ht_info_t info = {{0}, 1, 0, 0, 100, 16, 2000, 50, "this model name is longer than 32 bytes"};
    ht_ack_t ack = {HT_START, 1, 7};
    CHECK(ht_encode_samples(buf, sizeof buf, 0, &s) == 0, "count 0 accepted");
    s.count = HT_MAX_SAMPLES + 1;
    CHECK(ht_encode_samples(buf, sizeof buf, 0, &s) == 0, "count 41 accepted");
    s.count = HT_MAX_SAMPLES;
    CHECK(ht_encode_samples(buf, sizeof buf, 0, &s) > 0, "count 40 refused");
    CHECK(ht_encode_samples(buf, sizeof buf, 0, &s) <= HT_SAMPLES_WIRE_SIZE(HT_MAX_SAMPLES),
          "HT_SAMPLES_WIRE_SIZE too small");
    s.period_us = 0;
    CHECK(ht_encode_samples(buf, sizeof buf, 0, &s) == 0, "period 0 accepted");
    CHECK(ht_encode_info(buf, sizeof buf, 0, &info) == 0, "long model accepted");
    CHECK(ht_encode_ack(buf, sizeof buf, 0, &ack) == 0, "ack result 7 accepted");
    CHECK(ht_encode_samples(buf, sizeof buf, 0, NULL) == 0, "NULL message accepted");
}

static void test_command_vectors(void)
{
    for (size_t i = 0; i < VEC_COUNT(VEC_COMMANDS); i++) {
        const vec_command_t *v = &VEC_COMMANDS[i];
        ht_command_t cmd;
        ht_cmd_result_t r = ht_decode_command(v->wire, v->wire_len - 1, &cmd);
        CHECK(r == HT_CMD_OK, "%s: result %d", v->name, (int)r);
        CHECK(cmd.type == v->cmd.type && cmd.seq == v->cmd.seq && cmd.rate_hz == v->cmd.rate_hz &&
                  cmd.seconds == v->cmd.seconds,
              "%s: fields differ", v->name);
    }
}

/* Build a host frame with a valid CRC around any type and payload. */
static size_t host_frame(uint8_t type, uint16_t seq, const uint8_t *payload, size_t n,
                         uint8_t *out, size_t cap)
{
    uint8_t raw[32];
    uint16_t crc;
    raw[0] = type;
    raw[1] = (uint8_t)(seq & 0xFF);
    raw[2] = (uint8_t)(seq >> 8);
    memcpy(raw + 3, payload, n);
    crc = ht_crc16(HT_CRC16_INIT, raw, n + 3);
    raw[n + 3] = (uint8_t)(crc & 0xFF);
    raw[n + 4] = (uint8_t)(crc >> 8);
    return ht_cobs_encode(raw, n + 5, out, cap);
}

static void test_command_errors(void)
{
    const uint8_t three[] = {1, 2, 3};
    const uint8_t zero_rate[] = {0, 0};
    uint8_t frame[48];
    ht_command_t cmd;
    size_t n;

    n = host_frame(HT_START, 9, three, sizeof three, frame, sizeof frame);
    CHECK(ht_decode_command(frame, n, &cmd) == HT_CMD_BAD_ARGUMENTS && cmd.seq == 9 &&
              cmd.type == HT_START,
          "START with 3 bytes");
    n = host_frame(HT_START, 10, zero_rate, sizeof zero_rate, frame, sizeof frame);
    CHECK(ht_decode_command(frame, n, &cmd) == HT_CMD_BAD_ARGUMENTS, "START at 0 Hz");
    n = host_frame(0x90, 11, three, sizeof three, frame, sizeof frame);
    CHECK(ht_decode_command(frame, n, &cmd) == HT_CMD_UNSUPPORTED && cmd.type == 0x90,
          "unknown type");
    n = host_frame(HT_STOP, 12, NULL, 0, frame, sizeof frame);
    frame[2] ^= 0x04;
    CHECK(ht_decode_command(frame, n, &cmd) == HT_CMD_BAD_FRAME, "damaged frame accepted");
    CHECK(ht_decode_command(frame, 2, &cmd) == HT_CMD_BAD_FRAME, "short frame accepted");
    CHECK(ht_decode_command(frame, 0, &cmd) == HT_CMD_NONE, "empty frame");
}

static void test_rx_stream(void)
{
    ht_rx_t rx;
    ht_command_t cmd;
    uint8_t stream[256];
    size_t len = 0;
    int ok = 0;
    int bad = 0;
    /* garbage before sync, every command, a too long frame, then a command again */
    stream[len++] = 0x42;
    stream[len++] = 0x00;
    for (size_t i = 0; i < VEC_COUNT(VEC_COMMANDS); i++) {
        memcpy(stream + len, VEC_COMMANDS[i].wire, VEC_COMMANDS[i].wire_len);
        len += VEC_COMMANDS[i].wire_len;
    }
    memset(stream + len, 0x33, 60);
    len += 60;
    stream[len++] = 0x00;
    memcpy(stream + len, VEC_COMMANDS[0].wire, VEC_COMMANDS[0].wire_len);
    len += VEC_COMMANDS[0].wire_len;

    ht_rx_init(&rx);
    for (size_t i = 0; i < len; i++) {
        ht_cmd_result_t r = ht_rx_push(&rx, stream[i], &cmd);
        ok += (r == HT_CMD_OK);
        bad += (r == HT_CMD_BAD_FRAME);
    }
    CHECK(ok == (int)VEC_COUNT(VEC_COMMANDS) + 1, "rx decoded %d commands", ok);
    CHECK(bad == 2, "rx reported %d bad frames, expected 2", bad);
    CHECK(cmd.type == VEC_COMMANDS[0].cmd.type && cmd.seq == VEC_COMMANDS[0].cmd.seq,
          "rx last command");
}

static void test_battery_curve(void)
{
    CHECK(ht_battery_pct_from_mv(3000) == 0, "empty");
    CHECK(ht_battery_pct_from_mv(3800) == 50, "half");
    CHECK(ht_battery_pct_from_mv(3850) == 57, "interpolated: %u", ht_battery_pct_from_mv(3850));
    CHECK(ht_battery_pct_from_mv(4250) == 100, "full");
    for (uint32_t mv = 3000, last = 0; mv < 4400; mv += 10) {
        uint32_t pct = ht_battery_pct_from_mv(mv);
        CHECK(pct >= last && pct <= 100, "monotonic at %u mV", (unsigned)mv);
        last = pct;
    }
}

int main(void)
{
    test_battery_curve();
    test_crc();
    test_cobs();
    test_encoders();
    test_encoders_refuse_bad_arguments();
    test_command_vectors();
    test_command_errors();
    test_rx_stream();
    printf("%d checks, %d failed\n", checks, failures);
    return failures ? 1 : 0;
}
