/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ISO 4217 currencies as the IATI Currency codelist has them (non-embedded
 * codelist, IATI/IATI-Codelists-NonEmbedded commit 7aeece77; a copy is
 * tests/fixtures/iati/Currency.xml, its licence in README.md there, and test_money.c checks
 * this table against it code by code): each code with its withdrawal date
 * when withdrawn (refused in new flows, reported by importers) and its name.
 * Sorted by code (the codelist is not quite), looked up by binary search.
 * docs/internals/flows.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "willing/flows.h"

static const wl_currency currencies[] = {
    {"AED", NULL, "UAE Dirham"},
    {"AFN", NULL, "Afghani"},
    {"ALL", NULL, "Lek"},
    {"AMD", NULL, "Armenian Dram"},
    {"ANG", NULL, "Netherlands Antillian Guilder"},
    {"AOA", NULL, "Kwanza"},
    {"ARS", NULL, "Argentine Peso"},
    {"AUD", NULL, "Australian Dollar"},
    {"AWG", NULL, "Aruban Guilder"},
    {"AZN", NULL, "Azerbaijanian Manat"},
    {"BAM", NULL, "Convertible Marks"},
    {"BBD", NULL, "Barbados Dollar"},
    {"BDT", NULL, "Taka"},
    {"BGN", NULL, "Bulgarian Lev"},
    {"BHD", NULL, "Bahraini Dinar"},
    {"BIF", NULL, "Burundi Franc"},
    {"BMD", NULL, "Bermudian Dollar"},
    {"BND", NULL, "Brunei Dollar"},
    {"BOB", NULL, "Boliviano"},
    {"BOV", NULL, "Mvdol"},
    {"BRL", NULL, "Brazilian Real"},
    {"BSD", NULL, "Bahamian Dollar"},
    {"BTN", NULL, "Ngultrum"},
    {"BWP", NULL, "Pula"},
    {"BYN", NULL, "Belarussian Ruble"},
    {"BYR", "2018-08-08", "Belarussian Ruble"},
    {"BZD", NULL, "Belize Dollar"},
    {"CAD", NULL, "Canadian Dollar"},
    {"CDF", NULL, "Congolese Franc"},
    {"CHF", NULL, "Swiss Franc"},
    {"CLF", NULL, "Unidades de fomento"},
    {"CLP", NULL, "Chilean Peso"},
    {"CNY", NULL, "Yuan Renminbi"},
    {"COP", NULL, "Colombian Peso"},
    {"COU", NULL, "Unidad de Valor Real"},
    {"CRC", NULL, "Costa Rican Colon"},
    {"CUC", NULL, "Peso Convertible"},
    {"CUP", NULL, "Cuban Peso"},
    {"CVE", NULL, "Cape Verde Escudo"},
    {"CZK", NULL, "Czech Koruna"},
    {"DJF", NULL, "Djibouti Franc"},
    {"DKK", NULL, "Danish Krone"},
    {"DOP", NULL, "Dominican Peso"},
    {"DZD", NULL, "Algerian Dinar"},
    {"EEK", "2018-08-08", "Kroon"},
    {"EGP", NULL, "Egyptian Pound"},
    {"ERN", NULL, "Nakfa"},
    {"ETB", NULL, "Ethiopian Birr"},
    {"EUR", NULL, "Euro"},
    {"FJD", NULL, "Fiji Dollar"},
    {"FKP", NULL, "Falkland Islands Pound"},
    {"GBP", NULL, "Pound Sterling"},
    {"GEL", NULL, "Lari"},
    {"GHS", NULL, "Cedi"},
    {"GIP", NULL, "Gibraltar Pound"},
    {"GMD", NULL, "Dalasi"},
    {"GNF", NULL, "Guinea Franc"},
    {"GTQ", NULL, "Quetzal"},
    {"GYD", NULL, "Guyana Dollar"},
    {"HKD", NULL, "Hong Kong Dollar"},
    {"HNL", NULL, "Lempira"},
    {"HRK", NULL, "Kuna"},
    {"HTG", NULL, "Gourde"},
    {"HUF", NULL, "Forint"},
    {"IDR", NULL, "Rupiah"},
    {"ILS", NULL, "New Israeli Sheqel"},
    {"INR", NULL, "Indian Rupee"},
    {"IQD", NULL, "Iraqi Dinar"},
    {"IRR", NULL, "Iranian Rial"},
    {"ISK", NULL, "Iceland Krona"},
    {"JMD", NULL, "Jamaican Dollar"},
    {"JOD", NULL, "Jordanian Dinar"},
    {"JPY", NULL, "Yen"},
    {"KES", NULL, "Kenyan Shilling"},
    {"KGS", NULL, "Som"},
    {"KHR", NULL, "Riel"},
    {"KMF", NULL, "Comoro Franc"},
    {"KPW", NULL, "North Korean Won"},
    {"KRW", NULL, "Won"},
    {"KWD", NULL, "Kuwaiti Dinar"},
    {"KYD", NULL, "Cayman Islands Dollar"},
    {"KZT", NULL, "Tenge"},
    {"LAK", NULL, "Kip"},
    {"LBP", NULL, "Lebanese Pound"},
    {"LKR", NULL, "Sri Lanka Rupee"},
    {"LRD", NULL, "Liberian Dollar"},
    {"LSL", NULL, "Loti"},
    {"LTL", "2018-08-08", "Lithuanian Litas"},
    {"LVL", "2018-08-08", "Latvian Lats"},
    {"LYD", NULL, "Libyan Dinar"},
    {"MAD", NULL, "Moroccan Dirham"},
    {"MDL", NULL, "Moldovan Leu"},
    {"MGA", NULL, "Malagasy Ariary"},
    {"MKD", NULL, "Denar"},
    {"MMK", NULL, "Kyat"},
    {"MNT", NULL, "Tugrik"},
    {"MOP", NULL, "Pataca"},
    {"MRO", "2018-08-08", "Ouguiya"},
    {"MRU", NULL, "Ouguiya"},
    {"MUR", NULL, "Mauritius Rupee"},
    {"MVR", NULL, "Rufiyaa"},
    {"MWK", NULL, "Malawi Kwacha"},
    {"MXN", NULL, "Mexican Peso"},
    {"MXV", NULL, "Mexican Unidad de Inversion (UDI)"},
    {"MYR", NULL, "Malaysian Ringgit"},
    {"MZN", NULL, "Metical"},
    {"NAD", NULL, "Namibia Dollar"},
    {"NGN", NULL, "Naira"},
    {"NIO", NULL, "Cordoba Oro"},
    {"NOK", NULL, "Norwegian Krone"},
    {"NPR", NULL, "Nepalese Rupee"},
    {"NZD", NULL, "New Zealand Dollar"},
    {"OMR", NULL, "Rial Omani"},
    {"PAB", NULL, "Balboa"},
    {"PEN", NULL, "Nuevo Sol"},
    {"PGK", NULL, "Kina"},
    {"PHP", NULL, "Philippine Peso"},
    {"PKR", NULL, "Pakistan Rupee"},
    {"PLN", NULL, "Zloty"},
    {"PYG", NULL, "Guarani"},
    {"QAR", NULL, "Qatari Rial"},
    {"RON", NULL, "Romanian Leu"},
    {"RSD", NULL, "Serbian Dinar"},
    {"RUB", NULL, "Russian Ruble"},
    {"RWF", NULL, "Rwanda Franc"},
    {"SAR", NULL, "Saudi Riyal"},
    {"SBD", NULL, "Solomon Islands Dollar"},
    {"SCR", NULL, "Seychelles Rupee"},
    {"SDG", NULL, "Sudanese Pound"},
    {"SEK", NULL, "Swedish Krona"},
    {"SGD", NULL, "Singapore Dollar"},
    {"SHP", NULL, "Saint Helena Pound"},
    {"SLE", NULL, "Leone"},
    {"SLL", NULL, "Leone"},
    {"SOS", NULL, "Somali Shilling"},
    {"SRD", NULL, "Surinam Dollar"},
    {"SSP", NULL, "South Sudanese Pound"},
    {"STD", "2018-08-08", "Dobra"},
    {"STN", NULL, "Dobra"},
    {"SVC", NULL, "El Salvador Colon"},
    {"SYP", NULL, "Syrian Pound"},
    {"SZL", NULL, "Lilangeni"},
    {"THB", NULL, "Baht"},
    {"TJS", NULL, "Somoni"},
    {"TMT", NULL, "Manat"},
    {"TND", NULL, "Tunisian Dinar"},
    {"TOP", NULL, "Paanga"},
    {"TRY", NULL, "Turkish Lira"},
    {"TTD", NULL, "Trinidad and Tobago Dollar"},
    {"TWD", NULL, "New Taiwan Dollar"},
    {"TZS", NULL, "Tanzanian Shilling"},
    {"UAH", NULL, "Hryvnia"},
    {"UGX", NULL, "Uganda Shilling"},
    {"USD", NULL, "US Dollar"},
    {"USN", NULL, "US Dollar (Next day)"},
    {"USS", "2018-08-20", "US Dollar (Same day)"},
    {"UYI", NULL, "Uruguay Peso en Unidades Indexadas"},
    {"UYU", NULL, "Peso Uruguayo"},
    {"UZS", NULL, "Uzbekistan Sum"},
    {"VED", NULL, "Bolivar Soberano"},
    {"VEF", "2018-12-06", "Bolivar"},
    {"VES", NULL, "Bolivar Soberano"},
    {"VND", NULL, "Dong"},
    {"VUV", NULL, "Vatu"},
    {"WST", NULL, "Tala"},
    {"XAF", NULL, "CFA Franc BEAC"},
    {"XBT", NULL, "Bitcoin"},
    {"XCD", NULL, "East Caribbean Dollar"},
    {"XDR", NULL, "International Monetary Fund (IMF) Special Drawing Right (SDR)"},
    {"XOF", NULL, "CFA Franc BCEAO"},
    {"XPF", NULL, "CFP Franc"},
    {"YER", NULL, "Yemeni Rial"},
    {"ZAR", NULL, "Rand"},
    {"ZMK", "2018-08-08", "Zambian Kwacha"},
    {"ZMW", NULL, "Zambian Kwacha"},
    {"ZWL", NULL, "Zimbabwe Dollar"},
};

#define NCUR (sizeof currencies / sizeof currencies[0])

static int by_code(const void *key, const void *item)
{
    return strcmp(key, ((const wl_currency *)item)->code);
}

const wl_currency *wl_currency_find(const char *code)
{
    if (code == NULL || strlen(code) != 3)
        return NULL;
    return bsearch(code, currencies, NCUR, sizeof currencies[0], by_code);
}

const wl_currency *wl_currency_at(size_t i)
{
    return i < NCUR ? &currencies[i] : NULL;
}

/* A currency that a new flow, instrument or rate may name: known and not withdrawn. */
wl_rc wl_flow_currency_ok(const char *code, const char *where, const char *field, wl_error *err)
{
    const wl_currency *c = wl_currency_find(code);
    if (c == NULL)
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "%s: '%s' %s is an unknown currency: an ISO 4217 code in upper case "
                            "such as GBP, EUR or UAH",
                            where, field, code ? code : "(none)");
    if (c->withdrawn)
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "%s: '%s' %s (%s) was withdrawn on %s: name the currency that replaced "
                            "it",
                            where, field, c->code, c->name, c->withdrawn);
    return WL_OK;
}
