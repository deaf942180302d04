/*
 * hipthrust firmware for an ESP32-S3 DevKitC-1 with an ICM-42688-P breakout on SPI.
 * Streams the hipthrust wire protocol (docs/protocol.md) over USB CDC and over BLE
 * (Nordic UART Service, NimBLE-Arduino 2.x). Wiring, board settings and flashing:
 * firmware_stubs/README.md. The protocol code is copied into src/hipthrust/ by
 * `make -C firmware_stubs boards` (run it before building this sketch).
 *
 * The IMU samples into its FIFO at the configured rate; the loop drains the FIFO every few
 * milliseconds and hands the samples to the shared device logic, which times them against
 * micros() and batches them into frames.
 */
#include <Arduino.h>
#include <NimBLEDevice.h>
#include <SPI.h>

#include "src/hipthrust/hipthrust_arduino.h"
#include "src/hipthrust/hipthrust_device.h"

/* ---- board configuration ------------------------------------------------------------- */
static const int PIN_IMU_SCK = 12;
static const int PIN_IMU_MISO = 13;
static const int PIN_IMU_MOSI = 11;
static const int PIN_IMU_CS = 10;
static const int PIN_BATTERY = -1; /* ADC pin of a 1:2 divider from the cell, -1 if none */
static const uint32_t SPI_HZ = 8000000; /* the ICM-42688-P reads at up to 24 MHz */
static const uint8_t FW_MAJOR = 1, FW_MINOR = 0, FW_PATCH = 0;
static const char MODEL[] = "esp32s3-icm42688";

enum { LINK_USB = 0, LINK_BLE = 1 };

/* ---- ICM-42688-P registers (user bank 0) ----------------------------------------------- */
enum {
    REG_DEVICE_CONFIG = 0x11,
    REG_FIFO_CONFIG = 0x16,
    REG_TEMP_DATA1 = 0x1D,
    REG_INT_STATUS = 0x2D,
    REG_FIFO_COUNTH = 0x2E,
    REG_FIFO_DATA = 0x30,
    REG_SIGNAL_PATH_RESET = 0x4B,
    REG_INTF_CONFIG0 = 0x4C,
    REG_PWR_MGMT0 = 0x4E,
    REG_GYRO_CONFIG0 = 0x4F,
    REG_ACCEL_CONFIG0 = 0x50,
    REG_FIFO_CONFIG1 = 0x5F,
    REG_FIFO_LOST_PKT0 = 0x6C,
    REG_WHO_AM_I = 0x75,
    REG_BANK_SEL = 0x76,
};
static const uint8_t WHO_AM_I_ICM42688P = 0x47;
static const uint8_t FIFO_PACKET_BYTES = 16; /* header, accel 6, gyro 6, temp 1, time 2 */
static const uint8_t FIFO_MAX_PACKETS = 32;  /* per read: 512 bytes */

/* Output data rates the IMU has, with their ODR codes (GYRO_CONFIG0/ACCEL_CONFIG0 bits 3:0). */
static const struct {
    uint16_t hz;
    uint8_t code;
} RATES[] = {{1000, 0x06}, {500, 0x0F}, {200, 0x07}, {100, 0x08}, {50, 0x09}, {25, 0x0A}};

static const SPISettings IMU_SPI(SPI_HZ, MSBFIRST, SPI_MODE0);

static ht_device_t device;
static bool imu_ok;
static uint16_t lost_packets_seen;
static uint32_t last_fifo_read_us, last_status_ms, identify_until_ms;

/* ---- IMU access ------------------------------------------------------------------------ */
static void imu_write(uint8_t reg, uint8_t value)
{
    SPI.beginTransaction(IMU_SPI);
    digitalWrite(PIN_IMU_CS, LOW);
    SPI.transfer(reg & 0x7F);
    SPI.transfer(value);
    digitalWrite(PIN_IMU_CS, HIGH);
    SPI.endTransaction();
}

static void imu_read(uint8_t reg, uint8_t *out, size_t n)
{
    SPI.beginTransaction(IMU_SPI);
    digitalWrite(PIN_IMU_CS, LOW);
    SPI.transfer(reg | 0x80);
    for (size_t i = 0; i < n; i++) {
        out[i] = SPI.transfer(0x00);
    }
    digitalWrite(PIN_IMU_CS, HIGH);
    SPI.endTransaction();
}

static uint8_t imu_read1(uint8_t reg)
{
    uint8_t v = 0;
    imu_read(reg, &v, 1);
    return v;
}

static bool imu_reset(void)
{
    imu_write(REG_BANK_SEL, 0);
    imu_write(REG_DEVICE_CONFIG, 0x01); /* soft reset */
    delay(2);
    if (imu_read1(REG_WHO_AM_I) != WHO_AM_I_ICM42688P) {
        return false;
    }
    /* FIFO count in records, big-endian count and data, I2C off (SPI only) */
    imu_write(REG_INTF_CONFIG0, 0x73);
    imu_write(REG_PWR_MGMT0, 0x00); /* sensors off until START */
    return true;
}

/* Start at the supported rate closest to requested_hz; ranges +-16 g and +-2000 dps. */
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
    imu_write(REG_PWR_MGMT0, 0x00);
    delayMicroseconds(300);
    imu_write(REG_GYRO_CONFIG0, (0u << 5) | RATES[best].code);  /* FS_SEL 0: +-2000 dps */
    imu_write(REG_ACCEL_CONFIG0, (0u << 5) | RATES[best].code); /* FS_SEL 0: +-16 g */
    imu_write(REG_FIFO_CONFIG1, 0x07); /* accel + gyro + temperature: 16-byte packets */
    imu_write(REG_FIFO_CONFIG, 0x40);  /* stream to FIFO */
    imu_write(REG_PWR_MGMT0, 0x0F);    /* gyro and accel in low-noise mode */
    delay(45);                         /* gyro start-up */
    imu_write(REG_SIGNAL_PATH_RESET, 0x02); /* flush the FIFO */
    uint8_t lost[2];
    imu_read(REG_FIFO_LOST_PKT0, lost, 2);
    lost_packets_seen = (uint16_t)(lost[0] | (lost[1] << 8));
    last_fifo_read_us = micros();
    *period_us = 1000000u / RATES[best].hz;
    return RATES[best].hz;
}

static void imu_stop(void *ctx)
{
    (void)ctx;
    if (imu_ok) {
        imu_write(REG_PWR_MGMT0, 0x00);
    }
}

static void identify(void *ctx, uint8_t seconds)
{
    (void)ctx;
    identify_until_ms = millis() + 1000u * seconds;
}

static const ht_board_t BOARD = {imu_start, imu_stop, identify, NULL};

static int16_t be16(const uint8_t *p)
{
    return (int16_t)((p[0] << 8) | p[1]);
}

/* Drain the FIFO into the device logic; count packets the IMU reports lost. */
static void imu_poll(void)
{
    uint8_t count_be[2];
    uint8_t packets[FIFO_MAX_PACKETS * FIFO_PACKET_BYTES];
    int16_t raw[FIFO_MAX_PACKETS * 6];
    imu_read(REG_FIFO_COUNTH, count_be, 2);
    uint16_t records = (uint16_t)((count_be[0] << 8) | count_be[1]);
    uint32_t now = micros();
    if (records == 0) {
        return;
    }
    if (records > FIFO_MAX_PACKETS) {
        records = FIFO_MAX_PACKETS; /* the rest on the next pass, a few hundred us later */
    }
    imu_read(REG_FIFO_DATA, packets, (size_t)records * FIFO_PACKET_BYTES);
    uint32_t n = 0;
    for (uint16_t i = 0; i < records; i++) {
        const uint8_t *p = &packets[i * FIFO_PACKET_BYTES];
        if ((p[0] & 0x80) || (p[0] & 0x60) != 0x60) {
            break; /* FIFO empty, or not an accel + gyro packet */
        }
        raw[n * 6 + 0] = be16(p + 1);
        raw[n * 6 + 1] = be16(p + 3);
        raw[n * 6 + 2] = be16(p + 5);
        raw[n * 6 + 3] = be16(p + 7);
        raw[n * 6 + 4] = be16(p + 9);
        raw[n * 6 + 5] = be16(p + 11);
        n++;
    }
    uint8_t lost[2];
    imu_read(REG_FIFO_LOST_PKT0, lost, 2);
    uint16_t lost_now = (uint16_t)(lost[0] | (lost[1] << 8));
    if (lost_now != lost_packets_seen) {
        ht_device_lost_samples(&device, (uint16_t)(lost_now - lost_packets_seen));
        lost_packets_seen = lost_now;
    }
    ht_device_samples(&device, raw, n, now);
}

static int16_t imu_temperature_cdeg(void)
{
    uint8_t t[2];
    if (!imu_ok) {
        return HT_TEMPERATURE_UNKNOWN;
    }
    imu_read(REG_TEMP_DATA1, t, 2);
    return (int16_t)(2500 + (int32_t)be16(t) * 100 * 100 / 13248); /* 132.48 LSB/degC */
}

static uint8_t battery_pct(void)
{
    if (PIN_BATTERY < 0) {
        return HT_BATTERY_UNKNOWN;
    }
    return ht_battery_pct_from_mv(2u * analogReadMilliVolts(PIN_BATTERY));
}

/* ---- BLE: Nordic UART Service ------------------------------------------------------------ */
static const char NUS_SERVICE[] = "6E400001-B5A3-F393-E0A9-E50E24DCCA9E";
static const char NUS_RX[] = "6E400002-B5A3-F393-E0A9-E50E24DCCA9E";
static const char NUS_TX[] = "6E400003-B5A3-F393-E0A9-E50E24DCCA9E";

static NimBLECharacteristic *nus_tx;
static volatile uint16_t ble_mtu = 23;
static volatile bool ble_subscribed;

/* NimBLE callbacks run on the BLE host task: hand bytes to loop() through a small ring. */
static uint8_t ble_rx_ring[256];
static volatile uint16_t ble_rx_head, ble_rx_tail;

class ServerEvents : public NimBLEServerCallbacks {
    void onConnect(NimBLEServer *server, NimBLEConnInfo &info) override
    {
        server->updateConnParams(info.getConnHandle(), 6, 12, 0, 400); /* 7.5-15 ms interval */
    }
    void onDisconnect(NimBLEServer *, NimBLEConnInfo &, int) override
    {
        ble_subscribed = false;
        NimBLEDevice::startAdvertising();
    }
    void onMTUChange(uint16_t mtu, NimBLEConnInfo &) override { ble_mtu = mtu; }
};

class TxEvents : public NimBLECharacteristicCallbacks {
    void onSubscribe(NimBLECharacteristic *, NimBLEConnInfo &, uint16_t sub_value) override
    {
        ble_subscribed = (sub_value & 0x0001) != 0; /* notifications on */
    }
};

class RxEvents : public NimBLECharacteristicCallbacks {
    void onWrite(NimBLECharacteristic *c, NimBLEConnInfo &) override
    {
        NimBLEAttValue value = c->getValue();
        for (size_t i = 0; i < value.size(); i++) {
            uint16_t next = (uint16_t)((ble_rx_head + 1) % sizeof ble_rx_ring);
            if (next == ble_rx_tail) {
                break; /* full: the host's command is cut and ignored (no ACK), it retries */
            }
            ble_rx_ring[ble_rx_head] = value.data()[i];
            ble_rx_head = next;
        }
    }
};

static void ble_begin(const char *name)
{
    NimBLEDevice::init(name);
    NimBLEDevice::setMTU(247);
    NimBLEServer *server = NimBLEDevice::createServer();
    server->setCallbacks(new ServerEvents());
    NimBLEService *nus = server->createService(NUS_SERVICE);
    nus_tx = nus->createCharacteristic(NUS_TX, NIMBLE_PROPERTY::NOTIFY);
    nus_tx->setCallbacks(new TxEvents());
    NimBLECharacteristic *rx =
        nus->createCharacteristic(NUS_RX, NIMBLE_PROPERTY::WRITE | NIMBLE_PROPERTY::WRITE_NR);
    rx->setCallbacks(new RxEvents());
    nus->start();
    NimBLEAdvertising *adv = NimBLEDevice::getAdvertising();
    adv->setName(name);
    adv->addServiceUUID(nus->getUUID());
    adv->enableScanResponse(true);
    adv->start();
}

/* ---- links ------------------------------------------------------------------------------- */
static size_t ble_write(void *ctx, const uint8_t *data, size_t n)
{
    (void)ctx;
    return nus_tx->notify(data, n) ? n : 0; /* false: no buffer in the stack right now */
}

static void poll_links(void)
{
    ht_usb_poll(&device, LINK_USB, &BOARD);
    ht_device_link_state(&device, LINK_BLE, ble_subscribed);
    while (ble_rx_tail != ble_rx_head) {
        uint8_t byte = ble_rx_ring[ble_rx_tail];
        ble_rx_tail = (uint16_t)((ble_rx_tail + 1) % sizeof ble_rx_ring);
        ht_device_handle_byte(&device, LINK_BLE, byte, &BOARD);
    }
}

static void pump_links(void)
{
    ht_device_pump(&device, LINK_USB, 512, ht_usb_write, NULL);
    if (ble_subscribed) {
        ht_device_pump(&device, LINK_BLE, ble_mtu - 3u, ble_write, NULL); /* one per notification */
    }
}

static void show_led(void)
{
#ifdef RGB_BUILTIN
    bool blink = (int32_t)(identify_until_ms - millis()) > 0 && (millis() / 150) % 2;
    bool streaming = device.stream_link != HT_NO_LINK;
    rgbLedWrite(RGB_BUILTIN, blink ? 40 : 0, streaming ? 20 : 0, imu_ok ? 0 : 20);
#endif
}

void setup(void)
{
    ht_info_t info = {};
    uint64_t mac = ESP.getEfuseMac();
    for (int i = 0; i < 8; i++) {
        info.device_id[i] = (uint8_t)(mac >> (8 * i));
    }
    info.fw_major = FW_MAJOR;
    info.fw_minor = FW_MINOR;
    info.fw_patch = FW_PATCH;
    info.acc_range_g = 16;
    info.gyro_range_dps = 2000;
    info.battery_pct = HT_BATTERY_UNKNOWN;
    info.model = MODEL;
    ht_device_init(&device, &info);

    Serial.begin(921600); /* native USB CDC ignores the baud rate */
    pinMode(PIN_IMU_CS, OUTPUT);
    digitalWrite(PIN_IMU_CS, HIGH);
    SPI.begin(PIN_IMU_SCK, PIN_IMU_MISO, PIN_IMU_MOSI, PIN_IMU_CS);
    imu_ok = imu_reset();

    char name[24];
    snprintf(name, sizeof name, "hipthrust-%02X%02X", info.device_id[1], info.device_id[0]);
    ble_begin(name);
}

void loop(void)
{
    poll_links();
    if (device.stream_link != HT_NO_LINK && micros() - last_fifo_read_us >= 4000u) {
        last_fifo_read_us = micros();
        imu_poll();
    }
    if (millis() - last_status_ms >= 1000u) {
        last_status_ms = millis();
        uint8_t flags = imu_ok ? 0 : HT_FLAG_IMU_ERROR;
        if (PIN_BATTERY < 0) {
            flags |= HT_FLAG_EXTERNAL_POWER; /* a DevKit without a cell runs from USB */
        }
        ht_device_status(&device, battery_pct(), flags, imu_temperature_cdeg());
    }
    pump_links();
    show_led();
}
