/*
 * hipthrust wire protocol, version 1 (docs/protocol.md): the firmware side in plain C99.
 *
 * Encoders write one complete frame (COBS-encoded, trailing 0x00) into a buffer the caller
 * provides and return its length, or 0 when an argument is invalid or the buffer is too
 * small (nothing usable is written then). No malloc, no globals, no I/O.
 * Commands from the host arrive through ht_rx_push (one byte at a time) or
 * ht_decode_command (one frame without its 0x00 delimiter).
 */
#ifndef HIPTHRUST_PROTOCOL_H
#define HIPTHRUST_PROTOCOL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define HT_PROTOCOL_VERSION 1u
#define HT_MAX_PAYLOAD 1000u
#define HT_MAX_SAMPLES 40u
#define HT_MAX_MODEL_LEN 32u
#define HT_BATTERY_UNKNOWN 255u
#define HT_TEMPERATURE_UNKNOWN (-32768)
#define HT_CRC16_INIT 0xFFFFu

/* Bytes on the wire (COBS overhead and delimiter included) for a raw frame of n bytes. */
#define HT_WIRE_SIZE(n) ((n) + (n) / 254u + 2u)
/* Wire bytes of a SAMPLES frame holding count samples: size out buffers with this. */
#define HT_SAMPLES_WIRE_SIZE(count) HT_WIRE_SIZE(5u + 10u + 12u * (count))
#define HT_INFO_WIRE_SIZE HT_WIRE_SIZE(5u + 19u + HT_MAX_MODEL_LEN)
#define HT_STATUS_WIRE_SIZE HT_WIRE_SIZE(5u + 8u)
#define HT_ACK_WIRE_SIZE HT_WIRE_SIZE(5u + 4u)

enum ht_frame_type {
    HT_SAMPLES = 0x01,
    HT_INFO = 0x02,
    HT_STATUS = 0x03,
    HT_ACK = 0x04,
    HT_START = 0x81,
    HT_STOP = 0x82,
    HT_GET_INFO = 0x83,
    HT_IDENTIFY = 0x84
};

enum ht_status_flags {
    HT_FLAG_STREAMING = 0x01,
    HT_FLAG_EXTERNAL_POWER = 0x02,
    HT_FLAG_IMU_ERROR = 0x04,
    HT_FLAG_FIFO_OVERFLOW = 0x08
};

/* Outcome of decoding a host command. The first three values are the ACK result codes. */
typedef enum {
    HT_CMD_OK = 0,            /* valid command: act on it, ACK with result 0 */
    HT_CMD_BAD_ARGUMENTS = 1, /* intact frame, wrong payload: ACK with result 1 */
    HT_CMD_UNSUPPORTED = 2,   /* intact frame, unknown type: ACK with result 2 */
    HT_CMD_BUSY = 3,          /* not returned by the decoder; the sketch may ACK with it */
    HT_CMD_BAD_FRAME = 16,    /* damaged (COBS, length, CRC): ignore it, no ACK */
    HT_CMD_NONE = 17          /* no frame completed yet (ht_rx_push), or an empty frame */
} ht_cmd_result_t;

typedef struct {
    uint32_t t0_us;          /* device time of the first sample, us, free-running */
    uint16_t period_us;      /* sample period, us */
    uint8_t acc_range_g;     /* 2, 4, 8 or 16 */
    uint16_t gyro_range_dps; /* 125 .. 4000 */
    uint8_t count;           /* 1 .. HT_MAX_SAMPLES */
    const int16_t *raw;      /* count x 6 values: ax ay az gx gy gz */
} ht_samples_t;

typedef struct {
    uint8_t device_id[8];
    uint8_t fw_major, fw_minor, fw_patch;
    uint16_t rate_hz;
    uint8_t acc_range_g;
    uint16_t gyro_range_dps;
    uint8_t battery_pct; /* 0..100, HT_BATTERY_UNKNOWN */
    const char *model;   /* NUL-terminated UTF-8, at most HT_MAX_MODEL_LEN bytes */
} ht_info_t;

typedef struct {
    uint8_t battery_pct;
    uint8_t flags; /* enum ht_status_flags */
    uint32_t dropped_samples;
    int16_t temperature_cdeg; /* 0.01 degC, HT_TEMPERATURE_UNKNOWN */
} ht_status_t;

typedef struct {
    uint8_t command_type;
    uint16_t command_seq;
    uint8_t result; /* ht_cmd_result_t value 0..3 */
} ht_ack_t;

typedef struct {
    uint8_t type;     /* enum ht_frame_type; set for every result but BAD_FRAME/NONE */
    uint16_t seq;     /* the host's seq, to echo in the ACK */
    uint16_t rate_hz; /* START */
    uint8_t seconds;  /* IDENTIFY */
} ht_command_t;

/* Largest command frame accepted (raw bytes); longer frames are ignored as BAD_FRAME. */
#define HT_MAX_COMMAND_RAW 16u
#define HT_RX_CAPACITY HT_WIRE_SIZE(HT_MAX_COMMAND_RAW)

typedef struct {
    uint8_t buf[HT_RX_CAPACITY];
    size_t len;
    uint8_t overflow;
} ht_rx_t;

uint16_t ht_crc16(uint16_t crc, const uint8_t *data, size_t len);

/* COBS without the delimiter. Encode returns the length, 0 if out_cap is too small. */
size_t ht_cobs_encode(const uint8_t *in, size_t len, uint8_t *out, size_t out_cap);
/* Returns 0 and sets *out_len on success, -1 on malformed input or a too small buffer. */
int ht_cobs_decode(const uint8_t *in, size_t len, uint8_t *out, size_t out_cap, size_t *out_len);

size_t ht_encode_samples(uint8_t *out, size_t out_cap, uint16_t seq, const ht_samples_t *m);
size_t ht_encode_info(uint8_t *out, size_t out_cap, uint16_t seq, const ht_info_t *m);
size_t ht_encode_status(uint8_t *out, size_t out_cap, uint16_t seq, const ht_status_t *m);
size_t ht_encode_ack(uint8_t *out, size_t out_cap, uint16_t seq, const ht_ack_t *m);

/* Decode one host frame (COBS bytes without the 0x00 delimiter). */
ht_cmd_result_t ht_decode_command(const uint8_t *frame, size_t len, ht_command_t *cmd);

void ht_rx_init(ht_rx_t *rx);
/* Feed one received byte; returns HT_CMD_NONE until a delimiter completes a frame. */
ht_cmd_result_t ht_rx_push(ht_rx_t *rx, uint8_t byte, ht_command_t *cmd);

#ifdef __cplusplus
}
#endif

#endif /* HIPTHRUST_PROTOCOL_H */
