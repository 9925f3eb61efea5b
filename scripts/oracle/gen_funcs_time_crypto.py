#!/usr/bin/env python3
"""Generate the golden cases for rudder-funcs' date, crypto, random and
network/URL functions from the oracle (real Helm 4.2.3, via helmcase).

    python3 scripts/oracle/gen_funcs_time_crypto.py

writes, under crates/rudder-funcs/tests/data/:

  date_utc.json       date cases rendered with TZ=UTC
  date_new_york.json  date cases rendered with TZ=America/New_York (Local)
  date_tz_empty.json, date_tz_unknown.json
                      Local with TZ="" and with TZ naming no zone
  date_zoneinfo/      byte copies of the system TZif files those cases use,
                      so the tests read the same zone data the oracle did
                      without depending on the machine's tzdata
  crypto.json         deterministic crypto cases (derivePassword, decryptAES
                      of ciphertexts the oracle's encryptAES produced,
                      certificate round trips and error texts)
  random.json         the deterministic edges of the random functions
  network.json        urlParse, urlJoin, getHostByName (DNS disabled)

Each file records the oracle version. Go reads TZ once per process, so each
TZ runs in a child process of this script. Every expected value is what Helm
printed; nothing is computed by rudder.
"""
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "crates", "rudder-funcs", "tests", "data")
ZONEINFO_SRC = "/usr/share/zoneinfo"

ZONES = [
    "UTC", "America/New_York", "America/Los_Angeles", "America/St_Johns", "Europe/Berlin",
    "Europe/London", "Asia/Kolkata", "Asia/Kathmandu", "Asia/Tokyo", "Australia/Sydney",
    "Pacific/Chatham", "Etc/GMT+5", "EST5EDT",
]


def q(s):
    """A Go template string literal (JSON escapes are valid Go escapes)."""
    return json.dumps(s, ensure_ascii=False)


# --------------------------------------------------------------------------
# Case lists. Each entry is (template, values-or-None).

LAYOUTS = [
    "2006-01-02T15:04:05Z07:00",
    "2006-01-02T15:04:05.999999999Z07:00",
    "Mon Jan _2 15:04:05 2006",
    "Mon Jan _2 15:04:05 MST 2006",
    "Mon Jan 02 15:04:05 -0700 2006",
    "02 Jan 06 15:04 MST",
    "02 Jan 06 15:04 -0700",
    "Monday, 02-Jan-06 15:04:05 MST",
    "Mon, 02 Jan 2006 15:04:05 MST",
    "Mon, 02 Jan 2006 15:04:05 -0700",
    "3:04PM",
    "Jan _2 15:04:05.000",
    "2006-01-02 15:04:05.000000",
    "06 1 2 3 4 5 pm PM 03 04 05",
    "__2 002 _2 2",
    "Z0700|Z07:00|Z07|-07|-070000|-07:00:00|Z070000|Z07:00:00|-0700|-07:00",
    ",999 .9 .000000000 ,000",
    "Janet Mondays January Monday MSTX",
    "_2006 2006_2",
    "20060102150405",
    "15h04m",
    "no elements here: xyz",
    "",
    "2006-01-02",
    ".999999999 .99 .0",
]
TIMES = [0, 1136239445, 1700000000, -1, 951782400, 4102444800, -62135596800, 253402300799]


def date_cases_common():
    c = []
    for layout in LAYOUTS:
        for t in TIMES[:3]:
            c.append("{{ date %s %d }}" % (q(layout), t))
    for t in TIMES[3:]:
        c.append("{{ date %s %d }}" % (q("2006-01-02T15:04:05.999999999Z07:00 Mon yday=002 MST"), t))
    c += [
        '{{ date "2006-01-02" (int64 86400) }}',
        '{{ date "MST" "not a time" }}',
        '{{ date "MST" 1.5 }}',
        '{{ date "MST" nil }}',
        '{{ date "MST" .Values.f }}',
        '{{ date "15:04" (toDate "2006-01-02 15:04" "2021-06-01 13:45") }}',
        '{{ htmlDate 0 }}',
        '{{ htmlDate (int64 1700000000) }}',
        '{{ htmlDate "x" | len }}',
        '{{ htmlDate (toDate "2006-01-02" "1999-12-31") }}',
        '{{ typeOf (date "2006" 0) }}',
        '{{ date "2006-01-02" }}',
        '{{ date 5 0 }}',
    ]
    # toDate and mustToDate: parsing in Local.
    parse = [
        ("2006-01-02", "2020-05-06"),
        ("2006-01-02 15:04:05", "2020-05-06 07:08:09"),
        ("2006-01-02T15:04:05Z07:00", "2020-05-06T07:08:09Z"),
        ("2006-01-02T15:04:05Z07:00", "2020-05-06T07:08:09+05:30"),
        ("2006-01-02T15:04:05Z07:00", "2020-05-06T07:08:09.123456789-04:00"),
        ("2006-01-02T15:04:05.999999999Z07:00", "2020-05-06T07:08:09.5Z"),
        ("2006-01-02 15:04:05", "2020-05-06 07:08:09.123"),
        ("2006-01-02 15:04:05", "2020-05-06 07:08:09,25"),
        ("2006-01-02 15:04:05.000", "2020-05-06 07:08:09.120"),
        ("Jan _2 2006", "Feb  3 2021"),
        ("Jan _2 2006", "Feb 13 2021"),
        ("January 2, 2006", "march 7, 2021"),
        ("Mon Jan 2 2006", "tue feb 2 2021"),
        ("02/01/06", "31/12/99"),
        ("02/01/06", "01/01/68"),
        ("3:04PM", "11:30PM"),
        ("3:04pm", "12:05am"),
        ("15:04 MST", "10:00 UTC"),
        ("2006-01-02 15:04 MST", "2020-07-01 10:00 PDT"),
        ("2006-01-02 15:04 MST", "2020-07-01 10:00 EDT"),
        ("2006-01-02 15:04 MST", "2020-01-01 10:00 EST"),
        ("2006-01-02 15:04 MST", "2020-01-01 10:00 GMT+3"),
        ("2006-01-02 15:04 MST", "2020-01-01 10:00 ChST"),
        ("2006-01-02 15:04 MST", "2020-01-01 10:00 +07"),
        ("2006-01-02 15:04 -0700", "2020-01-01 10:00 -0500"),
        ("2006-01-02 15:04 -0700 MST", "2020-01-01 10:00 -0500 EST"),
        ("2006-01-02 15:04 Z07", "2020-01-01 10:00 Z"),
        ("2006-01-02 15:04 -07:00:00", "2020-01-01 10:00 +01:02:03"),
        ("2006 002", "2020 060"),
        ("2006 __2", "2021  60"),
        ("2006-01-02 002", "2020-03-01 061"),
        ("20060102150405", "20210304050607"),
        ("2006-01-02", "2020-02-30"),
        ("2006-01-02", "2020-13-01"),
        ("2006-01-02", "x"),
        ("2006-01-02", "2020-01-02 extra"),
        ("15:04", "24:00"),
        ("15:04:05", "10:61:00"),
        ("15:04:05", "10:10:60"),
        ("2006-01-02 -0700", "2020-01-01 +2500"),
        ("Mon 2006", "Xyz 2020"),
        ("2006-01-02", ""),
        ("", ""),
        ("", "x"),
        ("2006 002", "2021 366"),
        ("2006-01-02 002", "2020-03-02 061"),
        ("2006-01-02 15:04:05.000", "2020-05-06 07:08:09.12"),
        ("PM", "XM"),
        ("06", "7x"),
        ("2006-01-02T15:04:05Z07:00", "2020-05-06T07:08:09"),
    ]
    for layout, value in parse:
        c.append("{{ toDate %s %s }}" % (q(layout), q(value)))
        c.append("{{ mustToDate %s %s | unixEpoch }}" % (q(layout), q(value)))
    c += [
        '{{ toDate "2006-01-02" "2020-05-06" | date "Mon Jan 2 15:04:05 MST 2006" }}',
        '{{ toDate "2006-01-02" "2020-05-06" | unixEpoch }}',
        '{{ toDate "2006-01-02" "bad" | unixEpoch }}',
        '{{ typeOf (toDate "2006-01-02" "2020-05-06") }} {{ kindOf (toDate "2006-01-02" "2020-05-06") }}',
        '{{ typeOf now }} {{ kindOf now }}',
        '{{ toJson (toDate "2006-01-02T15:04:05Z07:00" "2020-05-06T07:08:09.5+02:00") }}',
        '{{ toYaml (dict "t" (toDate "2006-01-02" "2020-05-06")) }}',
        '{{ (toDate "2006-01-02" "2020-05-06") }}',
        '{{ list (toDate "2006-01-02" "2020-05-06") }}',
        '{{ dict "t" (toDate "2006-01-02" "2020-05-06") }}',
        '{{ printf "%v|%s" (toDate "2006-01-02" "2020-05-06") (toDate "2006-01-02" "2020-05-06") }}',
        '{{ toString (toDate "2006-01-02" "2020-05-06") }}',
        '{{ unixEpoch (toDate "2006-01-02" "0001-01-01") }}',
        '{{ mustToDate "2006" "x" }}',
        '{{ unixEpoch "x" }}',
    ]
    # dateModify and friends.
    base = '(toDate "2006-01-02 15:04:05" "2020-03-07 12:00:00")'
    for d in ["1h", "-1h30m", "1.5h", "24h", "-48h", "90s", "1ms", "1us", "1µs", "3ns", "0", "+2h", "bad", "", "1d", "1"]:
        c.append("{{ dateModify %s %s }}" % (q(d), base))
    for d in ["1h", "bad", "", "1d", "1", "1.5.5h", "9999999999h"]:
        c.append("{{ mustDateModify %s %s }}" % (q(d), base))
    c += [
        "{{ date_modify \"2h\" %s }}" % base,
        "{{ must_date_modify \"-2h\" %s }}" % base,
        "{{ must_date_modify \"x\" %s }}" % base,
        '{{ dateModify "1h" "2020" }}',
        '{{ dateModify "1h" 0 }}',
        "{{ %s | dateModify \"720h\" | date \"2006-01-02\" }}" % base,
        '{{ now | dateModify "-90m" | ago }}',
        '{{ now | mustDateModify "-49h" | durationRound }}',
        '{{ ago (now | dateModify "90s") }}',
        '{{ ago now }}',
    ]
    # duration and durationRound.
    for d in ['"3600"', "3600", "(int64 90061)", '"abc"', '"-5"', '"+7"', '"99999999999999999999"', "1.5",
              '"0"', "(int64 -1)", '"1_000"', '" 5"', "nil", '"9223372036"', '"9223372037"']:
        c.append("{{ duration %s }}" % d)
    for d in ['"2h30m"', '"26h"', '"720h"', '"721h"', '"8761h"', '"8760h1s"', '"bad"', '"-3h"', '"1s"',
              '"1.5s"', '"61s"', '"0"', "(int64 3600000000001)", "3600", "1.5", "nil",
              '"2562047h"', '"-2562047h47m16.854775808s"']:
        c.append("{{ durationRound %s }}" % d)
    # Methods of time.Time, time.Duration, time.Month and time.Location.
    t = '(toDate "2006-01-02 15:04:05.000000000" "2021-03-14 01:59:59.123456789")'
    for m in ["Unix", "UnixNano", "UnixMilli", "UnixMicro", "Year", "Month", "Day", "Hour", "Minute",
              "Second", "Nanosecond", "YearDay", "Weekday", "IsZero", "IsDST", "String", "GoString",
              "UTC", "Local"]:
        c.append("{{ %s.%s }}" % (t, m))
    c += [
        "{{ %s.Format \"Monday 2006-01-02 15:04:05.000 MST\" }}" % t,
        "{{ %s.Add 3600000000000 }}" % t,
        "{{ %s.Add -1 }}" % t,
        "{{ %s.AddDate 1 -3 20 }}" % t,
        "{{ %s.AddDate 0 0 -75 }}" % t,
        "{{ %s.Round 3600000000000 }}" % t,
        "{{ %s.Truncate 60000000000 }}" % t,
        "{{ %s.Round 0 }}" % t,
        "{{ (%s.Sub (toDate \"2006-01-02\" \"2021-01-01\")) }}" % t,
        "{{ (%s.Sub (toDate \"2006-01-02\" \"2021-01-01\")).Hours }}" % t,
        "{{ (%s.Sub (toDate \"2006-01-02\" \"2021-01-01\")).Minutes }}" % t,
        "{{ (%s.Sub (toDate \"2006-01-02\" \"2021-01-01\")).Seconds }}" % t,
        "{{ (%s.Sub (toDate \"2006-01-02\" \"2021-01-01\")).Milliseconds }}" % t,
        "{{ (%s.Sub (toDate \"2006-01-02\" \"2021-01-01\")).Round 3600000000000 }}" % t,
        "{{ (%s.Sub (toDate \"2006-01-02\" \"2021-01-01\")).Truncate 86400000000000 }}" % t,
        "{{ typeOf (%s.Sub %s) }} {{ kindOf (%s.Sub %s) }}" % (t, t, t, t),
        "{{ toJson (%s.Sub (toDate \"2006-01-02\" \"2021-01-01\")) }}" % t,
        "{{ %s.Before (toDate \"2006\" \"2022\") }} {{ %s.After (toDate \"2006\" \"2022\") }}" % (t, t),
        "{{ %s.Equal %s }} {{ %s.Compare (toDate \"2006\" \"2022\") }}" % (t, t, t),
        "{{ %s.Month.String }} {{ typeOf %s.Month }} {{ kindOf %s.Weekday }}" % (t, t, t),
        "{{ printf \"%%d %%v %%s\" %s.Month %s.Month %s.Weekday }}" % (t, t, t),
        "{{ %s.MarshalJSON | toString }}" % t,
        "{{ %s.MarshalText | toString }}" % t,
        "{{ (toDate \"2006\" \"10000\").MarshalJSON }}",
        "{{ %s.Unix | typeOf }}" % t,
        "{{ eq %s %s }}" % (t, t),
        "{{ toDate \"2006\" \"2020\" | toString | len }}",
        "{{ (toDate \"2006-01-02\" \"2020-05-06\").In ((toDate \"2006-01-02 -0700\" \"2020-05-06 +0300\").Location) }}",
        "{{ (toDate \"2006-01-02 -0700\" \"2020-05-06 +0300\").Location }}",
        "{{ (toDate \"2006-01-02 MST\" \"2020-05-06 XYZ\").Location }}",
        "{{ typeOf (toDate \"2006-01-02\" \"2020-05-06\").Location }}",
        "{{ %s.Nope }}" % t,
    ]
    return c


def zone_cases():
    c = []
    times = [1615705199, 1615705200, 1636264799, 1636264800, 1719835200, 4118054400, -5364662400, 0]
    for z in ["America/New_York", "America/Los_Angeles", "Europe/Berlin", "Europe/London", "Asia/Kolkata",
              "Asia/Kathmandu", "Asia/Tokyo", "Australia/Sydney", "Pacific/Chatham", "America/St_Johns",
              "Etc/GMT+5", "EST5EDT"]:
        for t in times:
            c.append("{{ dateInZone \"2006-01-02T15:04:05 -07:00 MST\" %d %s }}" % (t, q(z)))
    for z in ["UTC", "", "Local", "utc", "Nowhere/City", "../etc/passwd", "/etc/localtime", "America",
              "America/New_York ", "Etc/../UTC"]:
        c.append("{{ dateInZone \"2006-01-02 15:04 MST\" 1700000000 %s }}" % q(z))
    c += [
        '{{ date_in_zone "2006-01-02 15:04 MST" 1700000000 "Asia/Tokyo" }}',
        '{{ htmlDateInZone 1700000000 "Pacific/Chatham" }}',
        '{{ htmlDateInZone 1700000000 "bogus" }}',
        '{{ dateInZone "MST -0700" "not a time" "Asia/Kolkata" }}',
        '{{ dateInZone "2006-01-02 15:04 MST" (toDate "2006-01-02" "2020-06-01") "America/Los_Angeles" }}',
        '{{ dateInZone "2006-01-02 15:04 MST" (int64 1700000000) "Europe/Berlin" }}',
    ]
    return c


def local_cases():
    """Extra cases for a non-UTC Local (the TZ=America/New_York run)."""
    return [
        '{{ date "2006-01-02 15:04:05 -0700 MST" 0 }}',
        '{{ date "2006-01-02 15:04:05 -0700 MST" 1615705200 }}',
        '{{ date "2006-01-02 15:04:05 -0700 MST" 1625140800 }}',
        '{{ date "MST" "x" | len }}',
        '{{ htmlDate 1700000000 }}',
        '{{ toDate "2006-01-02 15:04" "2021-03-14 02:30" }}',
        '{{ toDate "2006-01-02 15:04" "2021-11-07 01:30" }}',
        '{{ toDate "2006-01-02 15:04" "2021-07-04 12:00" | unixEpoch }}',
        '{{ toDate "2006-01-02 15:04 MST" "2021-07-04 12:00 EDT" }}',
        '{{ toDate "2006-01-02 15:04 MST" "2021-07-04 12:00 EST" }}',
        '{{ toDate "2006-01-02 15:04 MST" "2021-01-04 12:00 EDT" }}',
        '{{ toDate "2006-01-02 15:04 -0700" "2021-07-04 12:00 -0400" }}',
        '{{ toDate "2006-01-02 15:04 -0700" "2021-07-04 12:00 -0500" }}',
        '{{ toDate "2006-01-02T15:04:05Z07:00" "2021-07-04T12:00:00-04:00" }}',
        '{{ toDate "2006-01-02" "1850-01-01" }}',
        '{{ toDate "2006-01-02" "2150-07-01" }}',
        '{{ toDate "2006-01-02" "2021-07-04" | date "Z07:00 MST" }}',
        '{{ (toDate "2006-01-02" "2021-07-04").IsDST }} {{ (toDate "2006-01-02" "2021-01-04").IsDST }}',
        '{{ (toDate "2006-01-02" "2021-07-04").UTC }}',
        '{{ (toDate "2006-01-02" "2021-07-04").GoString }}',
        '{{ (toDate "2006-01-02" "2021-03-13").AddDate 0 0 1 }}',
        '{{ (toDate "2006-01-02 15:04" "2021-03-13 02:30").AddDate 0 0 1 }}',
        '{{ (toDate "2006-01-02" "2021-07-04").In (toDate "2006 MST" "2021 UTC").Location }}',
        '{{ dateInZone "2006-01-02 15:04 MST" 1700000000 "Local" }}',
        '{{ now | date "MST" | len }}',
    ]


def odd_tz_cases():
    """For TZ set to "" or to a name no zone file has: Local is UTC."""
    return [
        '{{ now.Location }}',
        '{{ date "2006-01-02 15:04 -0700 MST" 0 }}',
        '{{ toDate "2006-01-02" "2020-07-01" }}',
        '{{ (toDate "2006-01-02" "2020-07-01").GoString }}',
        '{{ dateInZone "MST" 0 "Local" }}',
    ]


def crypto_cases(fixed):
    c = []
    for kind in ["maximum", "long", "medium", "short", "basic", "pin"]:
        c.append(("{{ derivePassword 1 %s \"password\" \"user\" \"example.com\" }}" % q(kind), None))
    c += [
        ('{{ derivePassword 7 "long" "pässword" "üser" "sité.example" }}', None),
        ('{{ derivePassword 4294967295 "basic" "" "" "" }}', None),
        ('{{ derivePassword 1 "nope" "p" "u" "s" }}', None),
        ('{{ derivePassword -1 "pin" "p" "u" "s" }}', None),
        ('{{ derivePassword 1.5 "pin" "p" "u" "s" }}', None),
        ('{{ genPrivateKey "foo" }}', None),
        ('{{ genPrivateKey "RSA" }}', None),
        ('{{ htpasswd "a:b" "c" }}', None),
        ('{{ bcrypt (repeat 73 "a") }}', None),
        ('{{ htpasswd "u" (repeat 80 "b") }}', None),
        ('{{ encryptAES "k" "" | quote }}', None),
        ('{{ decryptAES "k" "" | quote }}', None),
    ]
    for bad in ["abc", "ab=c", "YWJj", "AAAAAAAAAAAAAAAAAAAAAA==",
                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==",
                "a\nb", "YW Jj", "YWJjZA", "YQ==YQ==", "Y===", "YR==", "YWJj\r\n", "YQ="]:
        c.append(("{{ decryptAES \"k\" %s }}" % q(bad), None))
    # Interop: ciphertexts made by the oracle's encryptAES.
    for (password, text, cipher) in fixed["aes"]:
        c.append(("{{ decryptAES %s %s }}" % (q(password), q(cipher)), None))
        c.append(("{{ decryptAES %s (encryptAES %s %s) }}" % (q(password), q(password), q(text)), None))
    c.append(('{{ decryptAES "wrong password" %s | len }}' % q(fixed["aes"][0][2]), None))
    # Certificates and keys supplied as values: deterministic outputs.
    v = {"caCert": fixed["ca_cert"], "caKey": fixed["ca_key"], "ecKey": fixed["ec_key"],
         "edKey": fixed["ed_key"], "rsaKey": fixed["rsa_key"], "otherKey": fixed["other_key"],
         "pkcs8Rsa": fixed["pkcs8_rsa"], "pkcs8Ec": fixed["pkcs8_ec"], "dsaKey": fixed["dsa_key"]}
    c += [
        ("{{ $c := buildCustomCert (b64enc .Values.caCert) (b64enc .Values.caKey) }}{{ eq $c.Cert .Values.caCert }} {{ eq $c.Key .Values.caKey }} {{ typeOf $c }} {{ kindOf $c }}", v),
        ("{{ (genCAWithKey \"x\" 1 .Values.ecKey).Key }}", v),
        ("{{ (genCAWithKey \"x\" 1 .Values.edKey).Key }}", v),
        ("{{ (genCAWithKey \"x\" 1 .Values.rsaKey).Key }}", v),
        ("{{ (genCAWithKey \"x\" 1 .Values.pkcs8Rsa).Key }}", v),
        ("{{ (genCAWithKey \"x\" 1 .Values.pkcs8Ec).Key }}", v),
        ("{{ (genSelfSignedCertWithKey \"x\" nil nil 1 .Values.ecKey).Key }}", v),
        ("{{ $ca := buildCustomCert (b64enc .Values.caCert) (b64enc .Values.caKey) }}{{ (genSignedCertWithKey \"leaf\" nil nil 1 $ca .Values.edKey).Key }}", v),
        ("{{ $bad := buildCustomCert (b64enc .Values.caCert) (b64enc .Values.otherKey) }}{{ genSignedCert \"z\" nil nil 1 $bad }}", v),
        ("{{ genCAWithKey \"x\" 1 .Values.dsaKey }}", v),
        ("{{ genSelfSignedCertWithKey \"x\" nil nil 1 .Values.dsaKey }}", v),
        ("{{ $ca := buildCustomCert (b64enc .Values.caCert) (b64enc .Values.caKey) }}{{ genSignedCertWithKey \"x\" nil nil 1 $ca .Values.dsaKey }}", v),
        ("{{ (buildCustomCert (b64enc .Values.caCert) (b64enc .Values.dsaKey)).Key | len }}", v),
        ("{{ $ca := buildCustomCert (b64enc .Values.caCert) (b64enc .Values.dsaKey) }}{{ genSignedCert \"x\" nil nil 1 $ca }}", v),
        ("{{ genCAWithKey \"x\" 1 \"nope\" }}", None),
        ("{{ genCAWithKey \"x\" 1 \"-----BEGIN FOO-----\\nAAAA\\n-----END FOO-----\\n\" }}", None),
        ("{{ genCAWithKey \"x\" 1 \"-----BEGIN RSA PRIVATE KEY-----\\nAAAA\\n-----END RSA PRIVATE KEY-----\\n\" }}", None),
        ("{{ genCAWithKey \"x\" 1 \"-----BEGIN PRIVATE KEY-----\\nAAAA\\n-----END PRIVATE KEY-----\\n\" }}", None),
        ("{{ genCAWithKey \"x\" 1 \"-----BEGIN DSA PRIVATE KEY-----\\nAAAA\\n-----END DSA PRIVATE KEY-----\\n\" }}", None),
        ("{{ genCAWithKey \"x\" 1 \"-----BEGIN FOO PRIVATE KEY-----\\nAAAA\\n-----END FOO PRIVATE KEY-----\\n\" }}", None),
        ("{{ genCAWithKey \"x\" 1 \"-----BEGIN RSA PRIVATE KEY-----\\n\\n-----END RSA PRIVATE KEY-----\\n\" }}", None),
        ("{{ genCAWithKey \"x\" 1 .Values.ecKey | typeOf }}", v),
        ("{{ genSelfSignedCertWithKey \"x\" (list 1) nil 1 .Values.ecKey }}", v),
        ("{{ genSelfSignedCertWithKey \"x\" (list \"1.2.3\") nil 1 .Values.ecKey }}", v),
        ("{{ genSelfSignedCertWithKey \"x\" (list \"01.2.3.4\") nil 1 .Values.ecKey }}", v),
        ("{{ genSelfSignedCertWithKey \"x\" (list \"fe80::1%eth0\") nil 1 .Values.ecKey }}", v),
        ("{{ genSelfSignedCertWithKey \"x\" nil (list 1.5) 1 .Values.ecKey }}", v),
        ("{{ genSelfSignedCertWithKey \"x\" nil (list \"a\" nil) 1 .Values.ecKey }}", v),
        ("{{ genSelfSignedCertWithKey \"x\" nil (list \"é.example\") 1 .Values.ecKey }}", v),
        ("{{ genSelfSignedCertWithKey \"x\" (list \"nope\") (list 1) 1 \"nope\" }}", None),
        ("{{ genSelfSignedCert \"x\" (list \"1.2.3.4\" 5) nil 1 }}", None),
        ("{{ genSelfSignedCert \"x\" (list \"::1\") (list (list)) 1 }}", None),
        ("{{ genSelfSignedCert \"x\" (list \"a\" \"b\") nil 1 }}", None),
        ("{{ genSignedCert \"x\" nil nil 1 (dict) }}", None),
        ("{{ genSelfSignedCert \"x\" \"1.2.3.4\" nil 1 }}", None),
        ("{{ genSelfSignedCert \"x\" (splitList \",\" \"1.2.3.4\") nil 1 }}", None),
        ("{{ genCA \"x\" 1.5 }}", None),
        ("{{ genCA \"x\" \"1\" }}", None),
        ("{{ buildCustomCert \"x\" \"y\" }}", None),
        ("{{ buildCustomCert \"eA==\" \"y\" }}", None),
        ("{{ buildCustomCert \"eA==\" \"eA==\" }}", None),
        ("{{ buildCustomCert (b64enc \"-----BEGIN CERTIFICATE-----\\nAAAA\\n-----END CERTIFICATE-----\\n\") \"eA==\" }}", None),
        ("{{ buildCustomCert (b64enc .Values.caCert) \"eA==\" }}", v),
        ("{{ buildCustomCert (b64enc .Values.caCert) (b64enc .Values.caCert) }}", v),
        ("{{ $ca := genCA \"x\" 1 }}{{ typeOf $ca }} {{ kindOf $ca }} {{ typeOf $ca.Cert }} {{ $ca.Cert | len | typeOf }}", None),
        ("{{ $ca := genCA \"x\" 1 }}{{ keys ($ca | toJson | fromJson) | sortAlpha }}", None),
        ("{{ $ca := genCA \"x\" 1 }}{{ $ca.Nope }}", None),
        ("{{ $k := genPrivateKey \"ed25519\" }}{{ $k | len }} {{ regexMatch \"^-----BEGIN PRIVATE KEY-----\\n[A-Za-z0-9+/=\\n]+-----END PRIVATE KEY-----\\n$\" $k }}", None),
        ("{{ $k := genPrivateKey \"ecdsa\" }}{{ $k | len }} {{ hasPrefix \"-----BEGIN EC PRIVATE KEY-----\" $k }}", None),
    ]
    return c


def random_cases():
    return [
        '{{ randAlphaNum 0 | quote }}', '{{ randAlphaNum -1 | quote }}', '{{ randAlpha -5 | quote }}',
        '{{ randNumeric 0 | quote }}', '{{ randAscii -1 | quote }}', '{{ randAlphaNum 1000000000000000 }}',
        '{{ randAscii 100000000000000 }}', '{{ randBytes -1 }}', '{{ randBytes 0 | quote }}',
        '{{ randBytes 1000000000000000 }}', '{{ randInt 5 5 }}', '{{ randInt 5 4 }}', '{{ randInt 5 6 }}',
        '{{ randInt -3 -2 }}', '{{ randInt 1 2.0 }}', '{{ randNumeric 3.5 }}', '{{ randAlpha "3" }}',
        '{{ shuffle "" | quote }}', '{{ shuffle "a" }}', '{{ shuffle "aaaa" }}', '{{ shuffle 5 }}',
        '{{ randAlphaNum 16 | len }}', '{{ randBytes 16 | len }}', '{{ randBytes 3 | len }}',
        '{{ uuidv4 | len }}', '{{ typeOf uuidv4 }}', '{{ typeOf (randInt 0 10) }}',
        '{{ regexMatch "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$" uuidv4 }}',
        '{{ regexMatch "^[0-9]{20}$" (randNumeric 20) }}', '{{ regexMatch "^[A-Za-z]{20}$" (randAlpha 20) }}',
        '{{ shuffle "ab" | len }}', '{{ shuffle "héllo" | len }}',
    ]


URLS = [
    "http://u:p@h:80/a%20b?q=1#f%20g", "https://example.com", "https://example.com/", "HTTP://Example.COM/Path",
    "http://[::1]:80/x", "http://[abc]/", "http://[1.2.3.4]/", "http://[::ffff:1.2.3.4]/", "http://[fe80::1%25en0]/",
    "http://a:b:c/", "http://h:8x/", "http://x[::1]/", "a:b", "1a:b", "a/b:c", "b:c/d", "http:///p",
    "mailto:x@y?subject=1", "http://h/%zz", "http://h/p#%zz", "http://h%41/", "http://h%c3%a9/", "http://h /",
    "*", "", "http://u%40:p%3A@h/", "HTTP://H/?", "//host/p", "///p", "://x", "http://h/a%2Fb?x=%20#y%2Fz",
    "http://user@h", "http://:pass@h", "http://ü@h/", "postgres://u:p@db:5432/name?sslmode=disable",
    "http://h/p?", "http://h/p??", "file:///etc/hosts", "/just/a/path", "relative/path?x#y", "#frag",
    "?q", "http://h:/", "http://[::1", "http://h/\u00e9", "http://h/p#\u00e9 x", "http://h/%zé",
    "http://[fe80::1%25]/", "http://[::1%25zone]:8080/", "http://[1::2::3]/", "http://[12345::]/",
    "http://[1.2.3]/", "http://[::01.2.3.4]/", "s3://bucket/key?versionId=3", "http://h/a b",
]

JOINS = [
    {"scheme": "http", "host": "h", "path": "/p"},
    {"scheme": "http", "host": "h", "path": "p"},
    {"scheme": "https", "host": "example.com:8443", "path": "/a b", "query": "x=1&y=2", "fragment": "f g"},
    {"scheme": "http", "host": "h", "userinfo": "u:p"},
    {"scheme": "http", "host": "h", "userinfo": "u"},
    {"scheme": "http", "host": "h", "userinfo": "a b:c"},
    {"scheme": "http", "host": "h", "userinfo": "u%40x:p%3A"},
    {"scheme": "mailto", "opaque": "x@y"},
    {"path": "a:b/c"},
    {"path": "/a?b"},
    {"host": "h", "path": "x"},
    {"scheme": "http"},
    {},
    {"scheme": "http", "host": "hé", "path": "/é", "fragment": "é"},
    {"scheme": "http", "host": "[::1]:80", "path": "/"},
    {"fragment": "a!b(c)*d'e"},
    {"path": "*"},
    {"host": 1},
    {"host": None},
    {"path": [1]},
    {"scheme": True},
    {"query": {"a": 1}},
    {"userinfo": 1.5},
]


def network_cases():
    c = []
    for u in URLS:
        c.append(("{{ urlParse %s }}" % q(u), None))
    c.append(('{{ typeOf (urlParse "http://h") }} {{ len (urlParse "http://h") }}', None))
    c.append(('{{ (urlParse "http://u:p@h:80/p").hostname }}', None))
    for d in JOINS:
        c.append(("{{ urlJoin .Values.d }}", {"d": d}))
    c += [
        ('{{ urlJoin (urlParse "http://u:p@h:80/a%20b?q=1#f%20g") }}', None),
        ('{{ urlJoin (urlParse "mailto:x@y?s=1") }}', None),
        ('{{ urlJoin (dict "host" 1) }}', None),
        ('{{ urlJoin (dict "scheme" "http" "host" "h" "path" "/a" "query" "b=c") }}', None),
        ('{{ urlJoin "x" }}', None),
        ('{{ getHostByName "localhost" | quote }}', None),
        ('{{ getHostByName "" | quote }}', None),
        ('{{ getHostByName 5 }}', None),
    ]
    return c


# --------------------------------------------------------------------------
# Rendering (in a child process per TZ).

def render_all(entries):
    from helmcase import render_case
    out = []
    for e in entries:
        tpl, values = e if isinstance(e, tuple) else (e, None)
        vy = json.dumps(values) if values is not None else None
        r = render_case(tpl, values_yaml=vy)
        case = {"template": tpl}
        if values is not None:
            case["values"] = values
        if "output" in r:
            case["output"] = r["output"]
        else:
            case["error"] = r["error"]
            case["go_error"] = r.get("go_error")
        out.append(case)
    return out


def fixed_material():
    """Keys, a CA and AES ciphertexts made once by the oracle, for the
    deterministic round-trip cases."""
    from helmcase import render_case

    def out(t):
        r = render_case(t)
        if "output" not in r:
            raise SystemExit("oracle failed on %s: %s" % (t, r))
        return r["output"]

    ca = out('{{ $ca := genCA "fixture-ca" 3650 }}{{ $ca.Cert }}@@{{ $ca.Key }}').split("@@")
    aes = []
    for password, text in [("secret", "hello"), ("", "x"), ("k" * 40, "sixteen byte txt"),
                           ("pässwörd", "ünïcode ✓ text that spans several AES blocks"),
                           ("p", "line1\nline2\ttab")]:
        cipher = out("{{ encryptAES %s %s }}" % (q(password), q(text)))
        aes.append((password, text, cipher))
    return {
        "ca_cert": ca[0], "ca_key": ca[1],
        "ec_key": out('{{ genPrivateKey "ecdsa" }}'),
        "ed_key": out('{{ genPrivateKey "ed25519" }}'),
        "rsa_key": out('{{ (genCA "k" 1).Key }}'),
        "other_key": out('{{ (genCA "other" 1).Key }}'),
        "dsa_key": out('{{ genPrivateKey "dsa" }}'),
        "aes": aes,
    }


def to_pkcs8(pem_text):
    """openssl's PKCS#8 form of a PEM private key (input for the PKCS#8
    parsing cases; the expected outputs still come from the oracle)."""
    p = subprocess.run(["openssl", "pkcs8", "-topk8", "-nocrypt"], input=pem_text.encode(),
                       capture_output=True, check=True)
    return p.stdout.decode()


def child(run):
    from helmcase import ORACLE_VERSION
    if run == "date_utc":
        cases = render_all(date_cases_common() + zone_cases())
    elif run == "date_new_york":
        cases = render_all(local_cases() + date_cases_common()[:60])
    elif run in ("date_tz_empty", "date_tz_unknown"):
        cases = render_all(odd_tz_cases())
    elif run == "crypto":
        fixed = fixed_material()
        fixed["pkcs8_rsa"] = to_pkcs8(fixed["rsa_key"])
        fixed["pkcs8_ec"] = to_pkcs8(fixed["ec_key"])
        cases = render_all(crypto_cases(fixed))
    elif run == "random":
        cases = render_all(random_cases())
    elif run == "network":
        cases = render_all(network_cases())
    else:
        raise SystemExit("unknown run " + run)
    json.dump({"oracle": ORACLE_VERSION, "tz": os.environ.get("TZ", ""), "cases": cases}, sys.stdout,
              ensure_ascii=False, indent=1)


RUNS = [("date_utc", "UTC"), ("date_new_york", "America/New_York"), ("date_tz_empty", ""),
        ("date_tz_unknown", "Nowhere/Zone"), ("crypto", "UTC"),
        ("random", "UTC"), ("network", "UTC")]


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--run":
        child(sys.argv[2])
        return
    os.makedirs(OUT, exist_ok=True)
    zdir = os.path.join(OUT, "date_zoneinfo")
    shutil.rmtree(zdir, ignore_errors=True)
    for z in ZONES:
        dst = os.path.join(zdir, z)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copyfile(os.path.join(ZONEINFO_SRC, z), dst)
    total = 0
    for run, tz in RUNS:
        env = dict(os.environ, TZ=tz)
        env.pop("ZONEINFO", None)
        p = subprocess.run([sys.executable, os.path.abspath(__file__), "--run", run], env=env,
                           capture_output=True, check=True)
        doc = json.loads(p.stdout)
        with open(os.path.join(OUT, run + ".json"), "w") as f:
            json.dump(doc, f, ensure_ascii=False, indent=1)
            f.write("\n")
        total += len(doc["cases"])
        print("%s: %d cases" % (run, len(doc["cases"])))
    print("total: %d cases" % total)


if __name__ == "__main__":
    main()
