/*
 * hipthrust firmware for the Seeed XIAO nRF52840 Sense and its on-board LSM6DS3TR-C.
 * Streams the hipthrust wire protocol (docs/protocol.md) over USB CDC and over BLE
 * (Nordic UART Service, Adafruit Bluefruit nRF52 library of the Seeed nRF52 core).
 * Board package, settings and flashing: firmware_stubs/README.md. The protocol code is
 * copied into src/hipthrust/ by `make -C firmware_stubs boards` (run it before building).
 *
 * The IMU samples gyro + accelerometer into its FIFO; the loop drains it every few
 * milliseconds over the internal I2C bus (Wire1) and hands the samples to the shared device
 * logic, which times them against micros() and batches them into frames.
 */
#include <Arduino.h>
#include <Wire.h>
#include <bluefruit.h>

#include "src/hipthrust/hipthrust_arduino.h"
#include "src/hipthrust/hipthrust_device.h"

/* ---- board configuration ------------------------------------------------------------- */
static const uint8_t IMU_ADDRESS = 0x6A; /* LSM6DS3TR-C on the internal bus (Wire1) */
static const uint8_t FW_MAJOR = 1, FW_MINOR = 0, FW_PATCH = 0;
static const char MODEL[] = "xiao-nrf52840-lsm6ds3";
/* VBAT reaches P0.31 through a 1 M / 510 k divider enabled by pulling VBAT_ENABLE low. */
static const uint32_t VBAT_DIVIDER_NUM = 1510, VBAT_DIVIDER_DEN = 510;

enum { LINK_USB = 0, LINK_BLE = 1 };

/* ---- LSM6DS3TR-C registers --------------------------------------------------------------- */
enum {
    REG_FIFO_CTRL3 = 0x08,
    REG_FIFO_CTRL5 = 0x0A,
    REG_WHO_AM_I = 0x0F,
    REG_CTRL1_XL = 0x10,
    REG_CTRL2_G = 0x11,
    REG_CTRL3_C = 0x12,
    REG_OUT_TEMP_L = 0x20,
    REG_FIFO_STATUS1 = 0x3A,
    REG_FIFO_STATUS3 = 0x3C,
    REG_FIFO_DATA_OUT_L = 0x3E,
};
static const uint8_t WHO_AM_I_LSM6DS3TR_C = 0x6A;
static const uint8_t FS_XL_16G = 0x04;   /* CTRL1_XL bits 3:2 = 01 */
static const uint8_t FS_G_2000DPS = 0x0C; /* CTRL2_G bits 3:2 = 11 */
static const uint16_t FIFO_MAX_SETS = 32; /* samples per read pass */

/* Rates the I2C word-by-word FIFO read keeps up with, and their ODR codes (bits 7:4 of
 * CTRL1_XL / CTRL2_G, bits 6:3 of FIFO_CTRL5). */
static const struct {
    uint16_t hz;
    uint8_t code;
} RATES[] = {{416, 0x6}, {208, 0x5}, {104, 0x4}, {52, 0x3}, {26, 0x2}};

static ht_device_t device;
static bool imu_ok;
static uint32_t last_fifo_read_us, last_status_ms, identify_until_ms;
static BLEUart bleuart;
static volatile bool ble_subscribed;
static volatile uint16_t ble_conn = BLE_CONN_HANDLE_INVALID;

/* ---- IMU access ------------------------------------------------------------------------ */
static void imu_write(uint8_t reg, uint8_t value)
{
    Wire1.beginTransmission(IMU_ADDRESS);
    Wire1.write(reg);
    Wire1.write(value);
    Wire1.endTransmission();
}

static bool imu_read(uint8_t reg, uint8_t *out, uint8_t n)
{
    Wire1.beginTransmission(IMU_ADDRESS);
    Wire1.write(reg);
    if (Wire1.endTransmission(false) != 0 || Wire1.requestFrom(IMU_ADDRESS, n) != n) {
        return false;
    }
    for (uint8_t i = 0; i < n; i++) {
        out[i] = (uint8_t)Wire1.read();
    }
    return true;
}

static bool imu_reset(void)
{
    uint8_t who = 0;
    imu_write(REG_CTRL3_C, 0x01); /* SW_RESET */
    delay(5);
    if (!imu_read(REG_WHO_AM_I, &who, 1) || who != WHO_AM_I_LSM6DS3TR_C) {
        return false;
    }
    imu_write(REG_CTRL3_C, 0x44); /* BDU: no torn samples; IF_INC: burst register reads */
    imu_write(REG_CTRL1_XL, 0x00); /* power down until START */
    imu_write(REG_CTRL2_G, 0x00);
    return true;
}

static uint16_t imu_start(void *ctx, uint16_t requested_hz, uint32_t *period_us)
{
    (void)ctx;
    size_t best = 0;
    for (size_t i = 1; i < sizeof RATES / sizeof RATES[0]; i++) {
        if (abs((int)RATES[i].hz - (int)requested_hz) < abs((int)RATES[best].hz - (int)requested_hz)) {
            best = i;
        }
    }
    if (!imu_ok && !(imu_ok = imu_reset())) {
        return 0;
    }
    uint8_t odr = RATES[best].code;
    imu_write(REG_FIFO_CTRL5, 0x00); /* bypass: empties the FIFO */
    imu_write(REG_CTRL1_XL, (uint8_t)((odr << 4) | FS_XL_16G));
    imu_write(REG_CTRL2_G, (uint8_t)((odr << 4) | FS_G_2000DPS));
    imu_write(REG_FIFO_CTRL3, 0x09); /* gyro and accel into the FIFO, no decimation */
    imu_write(REG_FIFO_CTRL5, (uint8_t)((odr << 3) | 0x06)); /* FIFO ODR, continuous mode */
    last_fifo_read_us = micros();
    *period_us = 0; /* 1e6 / rate: the device clock learns the true period */
    return RATES[best].hz;
}

static void imu_stop(void *ctx)
{
    (void)ctx;
    if (imu_ok) {
        imu_write(REG_FIFO_CTRL5, 0x00);
        imu_write(REG_CTRL1_XL, 0x00);
        imu_write(REG_CTRL2_G, 0x00);
    }
}

static void identify(void *ctx, uint8_t seconds)
{
    (void)ctx;
    identify_until_ms = millis() + 1000u * seconds;
}

static const ht_board_t BOARD = {imu_start, imu_stop, identify, NULL};

static bool fifo_word(int16_t *word)
{
    uint8_t b[2];
    if (!imu_read(REG_FIFO_DATA_OUT_L, b, 2)) {
        return false;
    }
    *word = (int16_t)(b[0] | (b[1] << 8));
    return true;
}

/* Drain complete gyro + accel sets from the FIFO. The pattern index says which word comes
 * next (0..2 gyro x y z, 3..5 accel x y z); words before a set start are skipped. */
static void imu_poll(void)
{
    uint8_t status[4];
    int16_t raw[FIFO_MAX_SETS * 6];
    int16_t w[6];
    uint32_t now = micros();
    if (!imu_read(REG_FIFO_STATUS1, status, 4)) {
        imu_ok = false;
        return;
    }
    uint16_t words = (uint16_t)(status[0] | ((status[1] & 0x07) << 8));
    uint16_t pattern = (uint16_t)(status[2] | ((status[3] & 0x03) << 8));
    if (status[1] & 0x40) {
        ht_device_lost_samples(&device, 0); /* overrun: the clock will show the hole */
    }
    while (pattern != 0 && words > 0) {
        fifo_word(&w[0]);
        words--;
        pattern = (uint16_t)((pattern + 1) % 6);
    }
    uint32_t n = 0;
    while (words >= 6 && n < FIFO_MAX_SETS) {
        for (int k = 0; k < 6; k++) {
            fifo_word(&w[k]);
        }
        words -= 6;
        raw[n * 6 + 0] = w[3];
        raw[n * 6 + 1] = w[4];
        raw[n * 6 + 2] = w[5];
        raw[n * 6 + 3] = w[0];
        raw[n * 6 + 4] = w[1];
        raw[n * 6 + 5] = w[2];
        n++;
    }
    ht_device_samples(&device, raw, n, now);
}

static int16_t imu_temperature_cdeg(void)
{
    uint8_t t[2];
    if (!imu_ok || !imu_read(REG_OUT_TEMP_L, t, 2)) {
        return HT_TEMPERATURE_UNKNOWN;
    }
    return (int16_t)(2500 + (int32_t)(int16_t)(t[0] | (t[1] << 8)) * 100 / 256); /* 256/degC */
}

static uint8_t battery_pct(void)
{
    uint32_t adc = (uint32_t)analogRead(PIN_VBAT); /* 12 bits against the 3.6 V reference */
    uint32_t mv = adc * 3600u / 4096u * VBAT_DIVIDER_NUM / VBAT_DIVIDER_DEN;
    return mv < 2500u ? HT_BATTERY_UNKNOWN : ht_battery_pct_from_mv(mv); /* no cell fitted */
}

static bool usb_powered(void)
{
    return (NRF_POWER->USBREGSTATUS & POWER_USBREGSTATUS_VBUSDETECT_Msk) != 0;
}

/* ---- BLE: Nordic UART Service ------------------------------------------------------------ */
static void on_connect(uint16_t handle)
{
    BLEConnection *conn = Bluefruit.Connection(handle);
    ble_conn = handle;
    conn->requestPHY();                /* 2M PHY where the host has it */
    conn->requestDataLengthUpdate();
    conn->requestMtuExchange(247);
    conn->requestConnectionParameter(12); /* 15 ms, in 1.25 ms units */
}

static void on_disconnect(uint16_t handle, uint8_t reason)
{
    (void)handle;
    (void)reason;
    ble_conn = BLE_CONN_HANDLE_INVALID;
    ble_subscribed = false;
}

static void on_notify_enabled(uint16_t handle, bool enabled)
{
    (void)handle;
    ble_subscribed = enabled;
}

static void ble_begin(const char *name)
{
    Bluefruit.autoConnLed(false);
    Bluefruit.configPrphBandwidth(BANDWIDTH_MAX);
    Bluefruit.begin();
    Bluefruit.setTxPower(4);
    Bluefruit.setName(name);
    Bluefruit.Periph.setConnectCallback(on_connect);
    Bluefruit.Periph.setDisconnectCallback(on_disconnect);
    bleuart.begin();
    bleuart.setNotifyCallback(on_notify_enabled);
    Bluefruit.Advertising.addFlags(BLE_GAP_ADV_FLAGS_LE_ONLY_GENERAL_DISC_MODE);
    Bluefruit.Advertising.addTxPower();
    Bluefruit.Advertising.addService(bleuart);
    Bluefruit.ScanResponse.addName();
    Bluefruit.Advertising.restartOnDisconnect(true);
    Bluefruit.Advertising.setInterval(32, 244); /* 20 ms fast, 152.5 ms slow */
    Bluefruit.Advertising.setFastTimeout(30);
    Bluefruit.Advertising.start(0);
}

/* ---- links ------------------------------------------------------------------------------- */
static size_t ble_write(void *ctx, const uint8_t *data, size_t n)
{
    (void)ctx;
    return bleuart.write(data, n); /* 0: no notification buffer free right now */
}

static void poll_links(void)
{
    ht_usb_poll(&device, LINK_USB, &BOARD); /* DTR: a host opened the port */
    ht_device_link_state(&device, LINK_BLE, ble_subscribed);
    while (bleuart.available() > 0) {
        ht_device_handle_byte(&device, LINK_BLE, (uint8_t)bleuart.read(), &BOARD);
    }
}

static void pump_links(void)
{
    ht_device_pump(&device, LINK_USB, 512, ht_usb_write, NULL);
    BLEConnection *conn = Bluefruit.Connection(ble_conn);
    if (ble_subscribed && conn != NULL) {
        ht_device_pump(&device, LINK_BLE, conn->getMtu() - 3u, ble_write, NULL);
    }
}

static void show_led(void)
{
    /* the RGB LED is active low: blue blinks for IDENTIFY, green while streaming, red on an
     * IMU fault */
    bool blink = (int32_t)(identify_until_ms - millis()) > 0 && (millis() / 150) % 2;
    digitalWrite(LED_BLUE, blink ? LOW : HIGH);
    digitalWrite(LED_GREEN, device.stream_link != HT_NO_LINK ? LOW : HIGH);
    digitalWrite(LED_RED, imu_ok ? HIGH : LOW);
}

void setup(void)
{
    ht_info_t info = {};
    uint32_t id0 = NRF_FICR->DEVICEID[0], id1 = NRF_FICR->DEVICEID[1];
    for (int i = 0; i < 4; i++) {
        info.device_id[i] = (uint8_t)(id0 >> (8 * i));
        info.device_id[4 + i] = (uint8_t)(id1 >> (8 * i));
    }
    info.fw_major = FW_MAJOR;
    info.fw_minor = FW_MINOR;
    info.fw_patch = FW_PATCH;
    info.acc_range_g = 16;
    info.gyro_range_dps = 2000;
    info.model = MODEL;

    pinMode(LED_RED, OUTPUT);
    pinMode(LED_GREEN, OUTPUT);
    pinMode(LED_BLUE, OUTPUT);
    pinMode(VBAT_ENABLE, OUTPUT);
    digitalWrite(VBAT_ENABLE, LOW); /* connect the battery divider */
    analogReference(AR_DEFAULT);    /* 3.6 V full scale */
    analogReadResolution(12);
    info.battery_pct = battery_pct();
    ht_device_init(&device, &info);

    Serial.begin(115200); /* native USB CDC ignores the baud rate */
    pinMode(PIN_LSM6DS3TR_C_POWER, OUTPUT);
    digitalWrite(PIN_LSM6DS3TR_C_POWER, HIGH); /* the IMU's supply is a GPIO on the Sense */
    delay(20);
    Wire1.begin();
    Wire1.setClock(400000);
    imu_ok = imu_reset();

    char name[24];
    snprintf(name, sizeof name, "hipthrust-%02X%02X", info.device_id[1], info.device_id[0]);
    ble_begin(name);
}

void loop(void)
{
    poll_links();
    if (device.stream_link != HT_NO_LINK && micros() - last_fifo_read_us >= 5000u) {
        last_fifo_read_us = micros();
        imu_poll();
    }
    if (millis() - last_status_ms >= 1000u) {
        last_status_ms = millis();
        uint8_t flags = (uint8_t)((imu_ok ? 0 : HT_FLAG_IMU_ERROR) |
                                  (usb_powered() ? HT_FLAG_EXTERNAL_POWER : 0));
        ht_device_status(&device, battery_pct(), flags, imu_temperature_cdeg());
    }
    pump_links();
    show_led();
    yield();
}
