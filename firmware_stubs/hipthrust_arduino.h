/*
 * USB CDC glue shared by the Arduino sketches (C++, header-only, needs Arduino.h): the
 * board's `Serial` as a hipthrust link. Copied next to the C code by `make boards`.
 */
#ifndef HIPTHRUST_ARDUINO_H
#define HIPTHRUST_ARDUINO_H

#include <Arduino.h>

#include "hipthrust_device.h"

/* ht_write_fn for Serial: what fits in the driver's buffer now, never blocks the loop. */
static inline size_t ht_usb_write(void *ctx, const uint8_t *data, size_t n)
{
    (void)ctx;
    size_t room = (size_t)Serial.availableForWrite();
    return room == 0 ? 0 : Serial.write(data, n < room ? n : room);
}

/* Track whether a host has the port open and act on the bytes it sent. */
static inline void ht_usb_poll(ht_device_t *d, int link, const ht_board_t *board)
{
    ht_device_link_state(d, link, (bool)Serial);
    while (Serial.available() > 0) {
        ht_device_handle_byte(d, link, (uint8_t)Serial.read(), board);
    }
}

#endif /* HIPTHRUST_ARDUINO_H */
