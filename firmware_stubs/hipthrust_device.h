/*
 * hipthrust device logic in plain C99, shared by every board sketch and tested on the host.
 *
 * The board owns the IMU and the transports (USB, BLE); this module owns the protocol side:
 * one output queue and one command receiver per link, the sample clock (IMU samples timed
 * against the MCU's microsecond clock), batching samples into SAMPLES frames, ACK, INFO and
 * STATUS. No malloc, no I/O: the board moves bytes with ht_device_pending / ht_device_sent.
 */
#ifndef HIPTHRUST_DEVICE_H
#define HIPTHRUST_DEVICE_H

#include "hipthrust_protocol.h"

#ifdef __cplusplus
extern "C" {
#endif

#define HT_LINKS 2u              /* e.g. 0 = USB serial, 1 = BLE */
#define HT_LINK_BUFFER 4096u     /* queued output bytes per link */
#define HT_NO_LINK (-1)

/*
 * Sample clock: device time of each IMU sample, in microseconds (u32, wraps). The IMU's own
 * oscillator sets the true period; the clock estimates it from the MCU time of each FIFO
 * read and keeps consecutive samples evenly spaced (steering, never jumping) unless samples
 * were lost, when it re-anchors so that the host sees the hole.
 */
typedef struct {
    int64_t next_q8;    /* time of the next sample, 1/256 us, extended past the u32 wrap */
    int64_t period_q8;  /* estimated sample period, 1/256 us */
    int64_t nominal_q8; /* the period the IMU was configured for */
    int64_t now_ext;    /* last MCU time seen, extended, us */
    uint32_t last_now_us;
    uint8_t started;
} ht_clock_t;

void ht_clock_reset(ht_clock_t *c, uint32_t nominal_period_us);
/* n samples were just read at MCU time now_us: time of the first and the period (us).
 * Returns 1 when the timeline was re-anchored (samples lost or the reads stalled). */
int ht_clock_batch(ht_clock_t *c, uint32_t n, uint32_t now_us, uint32_t *t0_us,
                   uint16_t *period_us);

typedef struct {
    uint8_t buf[HT_LINK_BUFFER];
    size_t start;
    size_t count;
    uint16_t seq;
    uint8_t open;
    ht_rx_t rx;
} ht_link_t;

typedef struct {
    ht_link_t link[HT_LINKS];
    ht_info_t info; /* the board fills id, model, versions, ranges; rate and battery follow */
    ht_clock_t clock;
    int stream_link; /* where SAMPLES go; HT_NO_LINK when stopped */
    uint8_t samples_per_frame;
    int16_t raw[HT_MAX_SAMPLES * 6];
    uint8_t count;
    uint32_t t0_us;
    uint16_t period_us;
    uint32_t dropped_samples; /* since START: FIFO losses and frames a full queue refused */
    uint8_t overflow_since_status;
} ht_device_t;

/* What the board does for host commands; ht_device_handle_byte calls these. */
typedef struct {
    /* Configure and start the IMU at the supported rate closest to requested_hz; return that
     * rate and set *period_us (0 if unknown), or return 0 if the IMU does not answer. */
    uint16_t (*start)(void *ctx, uint16_t requested_hz, uint32_t *period_us);
    void (*stop)(void *ctx);
    void (*identify)(void *ctx, uint8_t seconds);
    void *ctx;
} ht_board_t;

/* info is copied. Frames hold 50 ms of samples (10 at 200 Hz, 40 at 1 kHz and above). */
void ht_device_init(ht_device_t *d, const ht_info_t *info);
/* Whether a host listens on this link now (USB port open, BLE notifications on); calls
 * ht_device_link_opened / ht_device_link_closed when that changes. */
void ht_device_link_state(ht_device_t *d, int link, int open);
/* A host connected on this link: queue a lone 0x00 (flush) and INFO. */
void ht_device_link_opened(ht_device_t *d, int link);
/* The host went away: forget queued bytes; streaming stops if it went to this link. */
void ht_device_link_closed(ht_device_t *d, int link);
/* Feed one received byte; see ht_rx_push. On a command, act on it, then ht_device_answer. */
ht_cmd_result_t ht_device_receive(ht_device_t *d, int link, uint8_t byte, ht_command_t *cmd);
/* Feed one received byte and act on a completed command: board callbacks, ACK, INFO.
 * A START the IMU cannot follow is answered with result 3 (busy). */
void ht_device_handle_byte(ht_device_t *d, int link, uint8_t byte, const ht_board_t *board);
/* Queue the ACK for cmd (result from ht_device_receive or HT_CMD_BUSY), and INFO after an
 * accepted START or GET_INFO. Call ht_device_start first for START so INFO has the rate. */
void ht_device_answer(ht_device_t *d, int link, const ht_command_t *cmd, ht_cmd_result_t result);
/* The IMU now runs at rate_hz (period_us exact if known, else 0 = 1e6 / rate_hz). */
void ht_device_start(ht_device_t *d, int link, uint16_t rate_hz, uint32_t period_us);
void ht_device_stop(ht_device_t *d);
/* n samples (n x 6 int16: ax ay az gx gy gz) just read from the IMU FIFO at MCU time now_us. */
void ht_device_samples(ht_device_t *d, const int16_t *raw, uint32_t n, uint32_t now_us);
/* The IMU reported n samples lost (FIFO overflow). */
void ht_device_lost_samples(ht_device_t *d, uint32_t n);
/* Queue STATUS on the streaming link; flags from the board (power, IMU error) are merged. */
void ht_device_status(ht_device_t *d, uint8_t battery_pct, uint8_t board_flags,
                      int16_t temperature_cdeg);
/* Charge of a single-cell LiPo from its resting voltage in mV, 0..100. */
uint8_t ht_battery_pct_from_mv(uint32_t mv);
/* Hand queued bytes of a link to its transport, at most max_chunk per call of write, until
 * write takes nothing (its buffer is full) or the queue is empty. write returns the number
 * of bytes it took. */
typedef size_t (*ht_write_fn)(void *ctx, const uint8_t *data, size_t n);
void ht_device_pump(ht_device_t *d, int link, size_t max_chunk, ht_write_fn write, void *ctx);
/* Contiguous queued bytes of a link (0 if none), and how many the transport took. */
size_t ht_device_pending(const ht_device_t *d, int link, const uint8_t **data);
void ht_device_sent(ht_device_t *d, int link, size_t n);

#ifdef __cplusplus
}
#endif

#endif /* HIPTHRUST_DEVICE_H */
