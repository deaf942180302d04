/*
 * hipthrust device logic: sample clock, batching, link queues, command answers.
 * See hipthrust_device.h for the contract.
 */
#include "hipthrust_device.h"

#include <string.h>

#define Q8 256
#define U32_SPAN ((int64_t)1 << 32)

void ht_clock_reset(ht_clock_t *c, uint32_t nominal_period_us)
{
    memset(c, 0, sizeof *c);
    c->nominal_q8 = (int64_t)nominal_period_us * Q8;
    c->period_q8 = c->nominal_q8;
}

int ht_clock_batch(ht_clock_t *c, uint32_t n, uint32_t now_us, uint32_t *t0_us,
                   uint16_t *period_us)
{
    int reanchored = 0;
    int64_t first;
    int64_t target_last;
    int64_t err;
    int64_t limit;
    if (!c->started) {
        c->now_ext = U32_SPAN + now_us; /* keeps every time positive */
    } else {
        c->now_ext += (uint32_t)(now_us - c->last_now_us);
    }
    c->last_now_us = now_us;
    if (n == 0) {
        n = 1; /* callers pass n >= 1; keep the arithmetic defined anyway */
    }
    /* The newest sample was taken within the last period: aim at half a period ago. */
    target_last = c->now_ext * Q8 - c->period_q8 / 2;
    if (!c->started) {
        first = target_last - (int64_t)(n - 1) * c->period_q8;
        c->started = 1;
    } else {
        first = c->next_q8;
        err = target_last - (first + (int64_t)(n - 1) * c->period_q8);
        if (err > 3 * c->period_q8 || err < -3 * c->period_q8) {
            first = target_last - (int64_t)(n - 1) * c->period_q8;
            reanchored = 1;
        } else {
            first += err / 16;                         /* steer the phase gently */
            c->period_q8 += err / (1024 * (int64_t)n);  /* and the rate, slower */
            limit = c->nominal_q8 / 32;                /* the IMU is within +-3 % */
            if (c->period_q8 > c->nominal_q8 + limit) {
                c->period_q8 = c->nominal_q8 + limit;
            } else if (c->period_q8 < c->nominal_q8 - limit) {
                c->period_q8 = c->nominal_q8 - limit;
            }
        }
    }
    c->next_q8 = first + (int64_t)n * c->period_q8;
    *t0_us = (uint32_t)((first + Q8 / 2) / Q8);
    *period_us = (uint16_t)((c->period_q8 + Q8 / 2) / Q8);
    return reanchored;
}

static int valid_link(int link)
{
    return link >= 0 && link < (int)HT_LINKS;
}

/* Append a whole frame to a link's queue; returns 0 (nothing queued) if it does not fit. */
static int queue(ht_link_t *l, const uint8_t *frame, size_t len)
{
    size_t end;
    if (len == 0 || len > HT_LINK_BUFFER - l->count) {
        return 0;
    }
    end = (l->start + l->count) % HT_LINK_BUFFER;
    for (size_t i = 0; i < len; i++) {
        l->buf[(end + i) % HT_LINK_BUFFER] = frame[i];
    }
    l->count += len;
    l->seq++;
    return 1;
}

static void queue_info(ht_device_t *d, int link)
{
    uint8_t frame[HT_INFO_WIRE_SIZE];
    ht_link_t *l = &d->link[link];
    queue(l, frame, ht_encode_info(frame, sizeof frame, l->seq, &d->info));
}

void ht_device_init(ht_device_t *d, const ht_info_t *info)
{
    memset(d, 0, sizeof *d);
    d->info = *info;
    d->stream_link = HT_NO_LINK;
    d->samples_per_frame = 1;
    for (size_t i = 0; i < HT_LINKS; i++) {
        ht_rx_init(&d->link[i].rx);
    }
}

void ht_device_link_opened(ht_device_t *d, int link)
{
    ht_link_t *l;
    if (!valid_link(link)) {
        return;
    }
    l = &d->link[link];
    l->start = 0;
    l->count = 1;
    l->buf[0] = 0x00; /* a lone delimiter flushes the host's receiver */
    l->open = 1;
    ht_rx_init(&l->rx);
    queue_info(d, link);
}

void ht_device_link_state(ht_device_t *d, int link, int open)
{
    if (!valid_link(link) || (open != 0) == (d->link[link].open != 0)) {
        return;
    }
    if (open) {
        ht_device_link_opened(d, link);
    } else {
        ht_device_link_closed(d, link);
    }
}

void ht_device_link_closed(ht_device_t *d, int link)
{
    if (!valid_link(link)) {
        return;
    }
    d->link[link].open = 0;
    d->link[link].count = 0;
    ht_rx_init(&d->link[link].rx);
    if (d->stream_link == link) {
        ht_device_stop(d);
    }
}

ht_cmd_result_t ht_device_receive(ht_device_t *d, int link, uint8_t byte, ht_command_t *cmd)
{
    if (!valid_link(link)) {
        return HT_CMD_NONE;
    }
    return ht_rx_push(&d->link[link].rx, byte, cmd);
}

void ht_device_handle_byte(ht_device_t *d, int link, uint8_t byte, const ht_board_t *board)
{
    ht_command_t cmd;
    uint32_t period_us = 0;
    uint16_t rate_hz;
    ht_cmd_result_t r = ht_device_receive(d, link, byte, &cmd);
    if (r == HT_CMD_OK) {
        switch (cmd.type) {
        case HT_START:
            rate_hz = board->start(board->ctx, cmd.rate_hz, &period_us);
            if (rate_hz == 0) {
                r = HT_CMD_BUSY;
            } else {
                ht_device_start(d, link, rate_hz, period_us);
            }
            break;
        case HT_STOP:
            ht_device_stop(d);
            board->stop(board->ctx);
            break;
        case HT_IDENTIFY:
            board->identify(board->ctx, cmd.seconds);
            break;
        default:
            break;
        }
    }
    ht_device_answer(d, link, &cmd, r);
}

void ht_device_answer(ht_device_t *d, int link, const ht_command_t *cmd, ht_cmd_result_t result)
{
    uint8_t frame[HT_ACK_WIRE_SIZE];
    ht_ack_t ack;
    ht_link_t *l;
    if (!valid_link(link) || result > HT_CMD_BUSY) {
        return; /* damaged frames get no answer */
    }
    l = &d->link[link];
    ack.command_type = cmd->type;
    ack.command_seq = cmd->seq;
    ack.result = (uint8_t)result;
    queue(l, frame, ht_encode_ack(frame, sizeof frame, l->seq, &ack));
    if (result == HT_CMD_OK && (cmd->type == HT_START || cmd->type == HT_GET_INFO)) {
        queue_info(d, link);
    }
}

void ht_device_start(ht_device_t *d, int link, uint16_t rate_hz, uint32_t period_us)
{
    if (!valid_link(link) || rate_hz == 0) {
        return;
    }
    if (period_us == 0) {
        period_us = (1000000u + rate_hz / 2u) / rate_hz;
    }
    d->info.rate_hz = rate_hz;
    d->samples_per_frame = (uint8_t)(rate_hz >= 20u * HT_MAX_SAMPLES ? HT_MAX_SAMPLES
                                     : rate_hz < 40u                ? 1u
                                                                    : rate_hz / 20u);
    d->stream_link = link;
    d->count = 0;
    d->dropped_samples = 0;
    d->overflow_since_status = 0;
    ht_clock_reset(&d->clock, period_us);
}



static void flush_samples(ht_device_t *d)
{
    uint8_t frame[HT_SAMPLES_WIRE_SIZE(HT_MAX_SAMPLES)];
    ht_samples_t m;
    ht_link_t *l;
    if (d->count == 0 || !valid_link(d->stream_link)) {
        return;
    }
    l = &d->link[d->stream_link];
    m.t0_us = d->t0_us;
    m.period_us = d->period_us;
    m.acc_range_g = d->info.acc_range_g;
    m.gyro_range_dps = d->info.gyro_range_dps;
    m.count = d->count;
    m.raw = d->raw;
    if (!queue(l, frame, ht_encode_samples(frame, sizeof frame, l->seq, &m))) {
        d->dropped_samples += d->count; /* the transport is too slow: drop whole frames */
    }
    d->count = 0;
}

/* A sample joins the pending frame while the frame's even spacing still places it within
 * an eighth of a period of the clock's estimate; otherwise the frame is sent first. */
static int joins_frame(const ht_device_t *d, uint32_t t, uint16_t period)
{
    int32_t off = (int32_t)(t - (d->t0_us + (uint32_t)d->count * d->period_us));
    int32_t tolerance = period / 8;
    return off >= -tolerance && off <= tolerance;
}

void ht_device_stop(ht_device_t *d)
{
    flush_samples(d);
    d->stream_link = HT_NO_LINK;
}

void ht_device_samples(ht_device_t *d, const int16_t *raw, uint32_t n, uint32_t now_us)
{
    uint32_t t0;
    uint16_t period;
    if (n == 0 || !valid_link(d->stream_link)) {
        return;
    }
    if (ht_clock_batch(&d->clock, n, now_us, &t0, &period)) {
        flush_samples(d); /* a hole in time: the next frame starts after it */
    }
    for (uint32_t i = 0; i < n; i++) {
        uint32_t t = t0 + i * period;
        if (d->count > 0 && !joins_frame(d, t, period)) {
            flush_samples(d);
        }
        if (d->count == 0) {
            d->t0_us = t;
            d->period_us = period;
        }
        memcpy(&d->raw[d->count * 6u], &raw[i * 6u], 6 * sizeof raw[0]);
        if (++d->count == d->samples_per_frame) {
            flush_samples(d);
        }
    }
}

void ht_device_lost_samples(ht_device_t *d, uint32_t n)
{
    d->dropped_samples += n;
    d->overflow_since_status = 1;
}

void ht_device_status(ht_device_t *d, uint8_t battery_pct, uint8_t board_flags,
                      int16_t temperature_cdeg)
{
    uint8_t frame[HT_STATUS_WIRE_SIZE];
    ht_status_t s;
    ht_link_t *l;
    d->info.battery_pct = battery_pct;
    if (!valid_link(d->stream_link)) {
        return;
    }
    l = &d->link[d->stream_link];
    s.battery_pct = battery_pct;
    s.flags = (uint8_t)((board_flags & ~HT_FLAG_FIFO_OVERFLOW & ~HT_FLAG_STREAMING) |
                        HT_FLAG_STREAMING |
                        (d->overflow_since_status ? HT_FLAG_FIFO_OVERFLOW : 0));
    s.dropped_samples = d->dropped_samples;
    s.temperature_cdeg = temperature_cdeg;
    if (queue(l, frame, ht_encode_status(frame, sizeof frame, l->seq, &s))) {
        d->overflow_since_status = 0;
    }
}

uint8_t ht_battery_pct_from_mv(uint32_t mv)
{
    /* resting voltage of a LiPo cell against its remaining charge */
    static const uint16_t curve[][2] = {{3300, 0},  {3500, 5},  {3600, 12}, {3650, 20},
                                        {3700, 30}, {3750, 40}, {3800, 50}, {3900, 65},
                                        {4000, 78}, {4100, 90}, {4200, 100}};
    const size_t n = sizeof curve / sizeof curve[0];
    if (mv <= curve[0][0]) {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if (mv <= curve[i][0]) {
            uint32_t dv = curve[i][0] - curve[i - 1][0];
            uint32_t dp = curve[i][1] - curve[i - 1][1];
            return (uint8_t)(curve[i - 1][1] + (mv - curve[i - 1][0]) * dp / dv);
        }
    }
    return 100;
}

size_t ht_device_pending(const ht_device_t *d, int link, const uint8_t **data)
{
    const ht_link_t *l;
    size_t run;
    if (!valid_link(link) || d->link[link].count == 0) {
        return 0;
    }
    l = &d->link[link];
    run = HT_LINK_BUFFER - l->start;
    *data = &l->buf[l->start];
    return l->count < run ? l->count : run;
}

void ht_device_sent(ht_device_t *d, int link, size_t n)
{
    ht_link_t *l;
    if (!valid_link(link)) {
        return;
    }
    l = &d->link[link];
    if (n > l->count) {
        n = l->count;
    }
    l->start = (l->start + n) % HT_LINK_BUFFER;
    l->count -= n;
}

void ht_device_pump(ht_device_t *d, int link, size_t max_chunk, ht_write_fn write, void *ctx)
{
    const uint8_t *data;
    size_t n;
    while (max_chunk > 0 && (n = ht_device_pending(d, link, &data)) > 0) {
        size_t taken = write(ctx, data, n < max_chunk ? n : max_chunk);
        if (taken == 0) {
            return;
        }
        ht_device_sent(d, link, taken);
    }
}
