/*
 * hipthrust wire protocol, version 1: frame encoders and the command decoder.
 * See hipthrust_protocol.h for the contract and docs/protocol.md for the layout.
 */
#include "hipthrust_protocol.h"

#include <string.h>

uint16_t ht_crc16(uint16_t crc, const uint8_t *data, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        crc ^= (uint16_t)((uint16_t)data[i] << 8);
        for (int bit = 0; bit < 8; bit++) {
            crc = (crc & 0x8000u) ? (uint16_t)((crc << 1) ^ 0x1021u) : (uint16_t)(crc << 1);
        }
    }
    return crc;
}

/*
 * A frame writer: COBS-encodes bytes as they come and keeps the CRC, so no raw copy of the
 * frame is needed. A block of 254 non-zero bytes that ends the frame is not followed by an
 * empty block (the canonical form shared with sensors/protocol.py).
 */
typedef struct {
    uint8_t *out;
    size_t cap;
    size_t len;      /* bytes used, including the reserved code byte */
    size_t code_pos; /* where the current block's code byte goes */
    uint8_t code;    /* 1 + bytes in the current block */
    uint8_t after_full_block;
    uint8_t overflow;
    uint16_t crc;
} ht_writer_t;

static void w_init(ht_writer_t *w, uint8_t *out, size_t cap)
{
    w->out = out;
    w->cap = cap;
    w->code_pos = 0;
    w->len = 1;
    w->code = 1;
    w->after_full_block = 0;
    w->overflow = (out == NULL || cap == 0);
    w->crc = HT_CRC16_INIT;
}

static void w_close_block(ht_writer_t *w)
{
    if (w->code_pos < w->cap) {
        w->out[w->code_pos] = w->code;
    } else {
        w->overflow = 1;
    }
    w->code_pos = w->len++;
    w->code = 1;
}

static void w_cobs(ht_writer_t *w, uint8_t byte)
{
    w->after_full_block = 0;
    if (byte == 0) {
        w_close_block(w);
        return;
    }
    if (w->len < w->cap) {
        w->out[w->len] = byte;
    } else {
        w->overflow = 1;
    }
    w->len++;
    if (++w->code == 0xFF) {
        w_close_block(w);
        w->after_full_block = 1;
    }
}

static void w_u8(ht_writer_t *w, uint8_t v)
{
    w->crc = ht_crc16(w->crc, &v, 1);
    w_cobs(w, v);
}

static void w_u16(ht_writer_t *w, uint16_t v)
{
    w_u8(w, (uint8_t)(v & 0xFF));
    w_u8(w, (uint8_t)(v >> 8));
}

static void w_u32(ht_writer_t *w, uint32_t v)
{
    w_u16(w, (uint16_t)(v & 0xFFFF));
    w_u16(w, (uint16_t)(v >> 16));
}

static void w_header(ht_writer_t *w, uint8_t *out, size_t cap, uint8_t type, uint16_t seq)
{
    w_init(w, out, cap);
    w_u8(w, type);
    w_u16(w, seq);
}

/* Close the last COBS block: an empty block after a full one is dropped. */
static void w_end_cobs(ht_writer_t *w)
{
    if (w->code == 1 && w->after_full_block) {
        w->len = w->code_pos;
    } else if (w->code_pos < w->cap) {
        w->out[w->code_pos] = w->code;
    } else {
        w->overflow = 1;
    }
}

/* Append the CRC, close COBS, add the delimiter; the frame length or 0 on overflow. */
static size_t w_finish(ht_writer_t *w)
{
    uint16_t crc = w->crc;
    w_cobs(w, (uint8_t)(crc & 0xFF));
    w_cobs(w, (uint8_t)(crc >> 8));
    w_end_cobs(w);
    if (w->len < w->cap) {
        w->out[w->len++] = 0x00;
    } else {
        w->overflow = 1;
    }
    return w->overflow ? 0 : w->len;
}

size_t ht_cobs_encode(const uint8_t *in, size_t len, uint8_t *out, size_t out_cap)
{
    ht_writer_t w;
    if (in == NULL && len > 0) {
        return 0;
    }
    w_init(&w, out, out_cap);
    for (size_t i = 0; i < len; i++) {
        w_cobs(&w, in[i]);
    }
    w_end_cobs(&w);
    return (w.overflow || w.len > out_cap) ? 0 : w.len;
}

int ht_cobs_decode(const uint8_t *in, size_t len, uint8_t *out, size_t out_cap, size_t *out_len)
{
    size_t i = 0;
    size_t n = 0;
    if ((in == NULL && len > 0) || out_len == NULL) {
        return -1;
    }
    while (i < len) {
        uint8_t code = in[i];
        if (code == 0 || i + code > len) {
            return -1;
        }
        for (size_t k = i + 1; k < i + code; k++) {
            if (in[k] == 0 || n >= out_cap) {
                return -1;
            }
            out[n++] = in[k];
        }
        i += code;
        if (code != 0xFF && i < len) {
            if (n >= out_cap) {
                return -1;
            }
            out[n++] = 0;
        }
    }
    *out_len = n;
    return 0;
}

size_t ht_encode_samples(uint8_t *out, size_t out_cap, uint16_t seq, const ht_samples_t *m)
{
    ht_writer_t w;
    if (m == NULL || m->raw == NULL || m->count == 0 || m->count > HT_MAX_SAMPLES ||
        m->period_us == 0 || m->acc_range_g == 0 || m->gyro_range_dps == 0) {
        return 0;
    }
    w_header(&w, out, out_cap, HT_SAMPLES, seq);
    w_u32(&w, m->t0_us);
    w_u16(&w, m->period_us);
    w_u8(&w, m->count);
    w_u8(&w, m->acc_range_g);
    w_u16(&w, m->gyro_range_dps);
    for (size_t i = 0; i < (size_t)m->count * 6u; i++) {
        w_u16(&w, (uint16_t)m->raw[i]);
    }
    return w_finish(&w);
}

size_t ht_encode_info(uint8_t *out, size_t out_cap, uint16_t seq, const ht_info_t *m)
{
    ht_writer_t w;
    size_t model_len;
    if (m == NULL || m->model == NULL) {
        return 0;
    }
    model_len = strlen(m->model);
    if (model_len > HT_MAX_MODEL_LEN) {
        return 0;
    }
    w_header(&w, out, out_cap, HT_INFO, seq);
    w_u8(&w, HT_PROTOCOL_VERSION);
    for (size_t i = 0; i < sizeof m->device_id; i++) {
        w_u8(&w, m->device_id[i]);
    }
    w_u8(&w, m->fw_major);
    w_u8(&w, m->fw_minor);
    w_u8(&w, m->fw_patch);
    w_u16(&w, m->rate_hz);
    w_u8(&w, m->acc_range_g);
    w_u16(&w, m->gyro_range_dps);
    w_u8(&w, m->battery_pct);
    w_u8(&w, (uint8_t)model_len);
    for (size_t i = 0; i < model_len; i++) {
        w_u8(&w, (uint8_t)m->model[i]);
    }
    return w_finish(&w);
}

size_t ht_encode_status(uint8_t *out, size_t out_cap, uint16_t seq, const ht_status_t *m)
{
    ht_writer_t w;
    if (m == NULL) {
        return 0;
    }
    w_header(&w, out, out_cap, HT_STATUS, seq);
    w_u8(&w, m->battery_pct);
    w_u8(&w, m->flags);
    w_u32(&w, m->dropped_samples);
    w_u16(&w, (uint16_t)m->temperature_cdeg);
    return w_finish(&w);
}

size_t ht_encode_ack(uint8_t *out, size_t out_cap, uint16_t seq, const ht_ack_t *m)
{
    ht_writer_t w;
    if (m == NULL || m->result > HT_CMD_BUSY) {
        return 0;
    }
    w_header(&w, out, out_cap, HT_ACK, seq);
    w_u8(&w, m->command_type);
    w_u16(&w, m->command_seq);
    w_u8(&w, m->result);
    return w_finish(&w);
}

ht_cmd_result_t ht_decode_command(const uint8_t *frame, size_t len, ht_command_t *cmd)
{
    uint8_t raw[HT_MAX_COMMAND_RAW];
    size_t n = 0;
    size_t payload_len;
    const uint8_t *payload;
    if (cmd == NULL) {
        return HT_CMD_BAD_FRAME;
    }
    if (len == 0) {
        return HT_CMD_NONE;
    }
    if (ht_cobs_decode(frame, len, raw, sizeof raw, &n) != 0 || n < 5) {
        return HT_CMD_BAD_FRAME;
    }
    if (ht_crc16(HT_CRC16_INIT, raw, n - 2) != (uint16_t)(raw[n - 2] | (raw[n - 1] << 8))) {
        return HT_CMD_BAD_FRAME;
    }
    memset(cmd, 0, sizeof *cmd);
    cmd->type = raw[0];
    cmd->seq = (uint16_t)(raw[1] | (raw[2] << 8));
    payload = raw + 3;
    payload_len = n - 5;
    switch (cmd->type) {
    case HT_START:
        if (payload_len != 2) {
            return HT_CMD_BAD_ARGUMENTS;
        }
        cmd->rate_hz = (uint16_t)(payload[0] | (payload[1] << 8));
        return cmd->rate_hz == 0 ? HT_CMD_BAD_ARGUMENTS : HT_CMD_OK;
    case HT_STOP:
    case HT_GET_INFO:
        return payload_len == 0 ? HT_CMD_OK : HT_CMD_BAD_ARGUMENTS;
    case HT_IDENTIFY:
        if (payload_len != 1) {
            return HT_CMD_BAD_ARGUMENTS;
        }
        cmd->seconds = payload[0];
        return HT_CMD_OK;
    default:
        return HT_CMD_UNSUPPORTED;
    }
}

void ht_rx_init(ht_rx_t *rx)
{
    rx->len = 0;
    rx->overflow = 0;
}

ht_cmd_result_t ht_rx_push(ht_rx_t *rx, uint8_t byte, ht_command_t *cmd)
{
    ht_cmd_result_t result;
    if (byte != 0) {
        if (rx->len < sizeof rx->buf) {
            rx->buf[rx->len++] = byte;
        } else {
            rx->overflow = 1;
        }
        return HT_CMD_NONE;
    }
    result = rx->overflow ? HT_CMD_BAD_FRAME : ht_decode_command(rx->buf, rx->len, cmd);
    ht_rx_init(rx);
    return result;
}
