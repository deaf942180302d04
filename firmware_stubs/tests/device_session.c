/*
 * A scripted board session on the host: the device logic (hipthrust_device.c) driven by a
 * simulated IMU whose oscillator runs 0.4 % slow, read at irregular intervals, with the MCU
 * clock about to wrap, a FIFO overflow that loses 37 samples, and host commands (START at
 * 200 Hz, a damaged frame, GET_INFO, IDENTIFY, STOP). Exit status 1 if IDENTIFY did not
 * reach the board. Writes the bytes the board would send on its
 * USB link to stdout; tests/firmware/test_c_device.py decodes them with the Python host code.
 * Sample values carry their true index: ax = index & 0x7fff, ay = index >> 15.
 */
#include <stdio.h>
#include <string.h>

#include "hipthrust_device.h"

#define TRUE_PERIOD_US 5020.0 /* 200 Hz nominal, the IMU runs 0.4 % slow */
#define LOST_AT 1500u         /* the FIFO overflows here ... */
#define LOST_COUNT 37u        /* ... and loses this many samples */
#define TOTAL 4000u

static uint32_t lcg = 12345u;

static uint32_t random_below(uint32_t n)
{
    lcg = lcg * 1103515245u + 12345u;
    return (lcg >> 8) % n;
}

/* The USB transport: takes a random share of what it is offered, sometimes nothing. */
static size_t usb_write(void *ctx, const uint8_t *data, size_t n)
{
    size_t take = random_below(4) == 0 ? 0 : 1 + random_below((uint32_t)n);
    (void)ctx;
    fwrite(data, 1, take, stdout);
    return take;
}

static void drain(ht_device_t *d)
{
    const uint8_t *data;
    while (ht_device_pending(d, 0, &data) > 0) {
        ht_device_pump(d, 0, 200, usb_write, NULL);
    }
}

/* The simulated board: its IMU runs at 200 Hz whatever the host asks. */
static int identified;

static uint16_t board_start(void *ctx, uint16_t requested_hz, uint32_t *period_us)
{
    (void)ctx;
    (void)requested_hz;
    *period_us = 5000;
    return 200;
}

static void board_stop(void *ctx)
{
    (void)ctx;
}

static void board_identify(void *ctx, uint8_t seconds)
{
    (void)ctx;
    identified = seconds;
}

static const ht_board_t board = {board_start, board_stop, board_identify, NULL};

static void host_sends(ht_device_t *d, const uint8_t *bytes, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        ht_device_handle_byte(d, 0, bytes[i], &board);
    }
}

int main(void)
{
    /* START 200 Hz seq 0, a damaged STOP, GET_INFO seq 2, STOP seq 1 (wire bytes from the
     * golden vectors: start_200, stop with a flipped byte, get_info, stop) */
    static const uint8_t start[] = {0x02, 0x81, 0x01, 0x02, 0xc8, 0x03, 0x70, 0x06, 0x00};
    static const uint8_t damaged[] = {0x03, 0x82, 0x01, 0x03, 0x97, 0xab, 0x00};
    static const uint8_t get_info[] = {0x03, 0x83, 0x02, 0x03, 0xf4, 0xc8, 0x00};
    static const uint8_t stop[] = {0x03, 0x82, 0x01, 0x03, 0x97, 0xaa, 0x00};
    static const uint8_t identify[] = {0x03, 0x84, 0x03, 0x04, 0x05, 0xfc, 0x9a, 0x00};
    ht_info_t info = {{0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88}, 1, 0, 0, 0, 16, 2000,
                      HT_BATTERY_UNKNOWN, "host-session"};
    static ht_device_t device;
    uint32_t now = 0xFFFFFFFFu - 3000000u; /* micros() wraps 3 s into the session */
    double imu_start;
    uint32_t next_index = 0;
    uint32_t last_status = now;
    int16_t raw[64 * 6];
    int asked = 0;

    ht_device_init(&device, &info);
    ht_device_link_state(&device, 0, 1);
    ht_device_link_state(&device, 0, 1); /* no change: no second INFO */
    host_sends(&device, start, sizeof start);
    host_sends(&device, damaged, sizeof damaged);
    imu_start = 1000.0; /* the first sample comes 1 ms after START */
    {
        double elapsed = 0.0;
        while (next_index < TOTAL) {
            uint32_t step = 7000u + random_below(16000u);
            uint32_t n = 0;
            elapsed += step;
            now += step;
            while (next_index < TOTAL && imu_start + next_index * TRUE_PERIOD_US <= elapsed &&
                   n < 64) {
                if (next_index == LOST_AT) {
                    next_index += LOST_COUNT;
                    ht_device_lost_samples(&device, LOST_COUNT);
                    continue;
                }
                memset(&raw[n * 6], 0, 6 * sizeof raw[0]);
                raw[n * 6] = (int16_t)(next_index & 0x7fff);
                raw[n * 6 + 1] = (int16_t)(next_index >> 15);
                raw[n * 6 + 2] = 2048;
                n++;
                next_index++;
            }
            ht_device_samples(&device, raw, n, now);
            if (now - last_status >= 1000000u) {
                last_status = now;
                ht_device_status(&device, 80, HT_FLAG_EXTERNAL_POWER, 2650);
            }
            if (next_index > 2000u && !asked) {
                host_sends(&device, get_info, sizeof get_info);
                host_sends(&device, identify, sizeof identify);
                asked = 1;
            }
            drain(&device);
        }
    }
    host_sends(&device, stop, sizeof stop);
    drain(&device);
    return identified == 5 ? 0 : 1; /* the board was asked to blink for 5 s */
}
