/*
 * areas.c - places that are areas: the built-in table of countries (FIPS
 * 10-4 codes as GDELT writes them, ISO 3166 codes, the names UCDP and
 * others use) with approximate bounding boxes, for events placed only at a
 * country when the store has no boundaries for it. Boxes are west, south,
 * east, north in degrees, to about a quarter degree, of the mainland and
 * near islands (far territories left out). A country missing here leaves
 * its events with an unknown radius, as before.
 */
#include "truce_int.h"

#include <ctype.h>

#include <stdio.h>
#include <strings.h>

static const struct truce__country countries[] = {
    /* fips  iso2  iso3   name                       other name */
    /* the Middle East and the Caucasus */
    {"SY", "SY", "SYR", "Syria", NULL, {35.7, 32.3, 42.4, 37.35}},
    {"IZ", "IQ", "IRQ", "Iraq", NULL, {38.75, 29.05, 48.6, 37.4}},
    {"TU", "TR", "TUR", "Turkey", "Turkiye", {25.65, 35.8, 44.85, 42.15}},
    {"LE", "LB", "LBN", "Lebanon", NULL, {35.1, 33.05, 36.65, 34.7}},
    {"IS", "IL", "ISR", "Israel", NULL, {34.25, 29.45, 35.9, 33.35}},
    {"JO", "JO", "JOR", "Jordan", NULL, {34.95, 29.15, 39.3, 33.4}},
    {"WE", "", "", "West Bank", NULL, {34.85, 31.3, 35.6, 32.6}},
    {"GZ", "", "", "Gaza Strip", NULL, {34.2, 31.2, 34.6, 31.6}},
    {"", "PS", "PSE", "Palestine", "Palestinian territories",
     {34.2, 31.2, 35.6, 32.6}},
    {"IR", "IR", "IRN", "Iran", NULL, {44.0, 25.05, 63.35, 39.8}},
    {"SA", "SA", "SAU", "Saudi Arabia", NULL, {34.5, 16.35, 55.7, 32.15}},
    {"YM", "YE", "YEM", "Yemen", NULL, {42.5, 12.1, 54.55, 19.0}},
    {"MU", "OM", "OMN", "Oman", NULL, {52.0, 16.6, 59.85, 26.4}},
    {"AE", "AE", "ARE", "United Arab Emirates", NULL, {51.5, 22.6, 56.4, 26.1}},
    {"QA", "QA", "QAT", "Qatar", NULL, {50.7, 24.45, 51.65, 26.2}},
    {"BA", "BH", "BHR", "Bahrain", NULL, {50.35, 25.8, 50.85, 26.3}},
    {"KU", "KW", "KWT", "Kuwait", NULL, {46.55, 28.5, 48.45, 30.1}},
    {"EG", "EG", "EGY", "Egypt", NULL, {24.7, 21.99, 36.9, 31.7}},
    {"CY", "CY", "CYP", "Cyprus", NULL, {32.25, 34.55, 34.6, 35.7}},
    {"AJ", "AZ", "AZE", "Azerbaijan", NULL, {44.75, 38.4, 50.4, 41.9}},
    {"AM", "AM", "ARM", "Armenia", NULL, {43.45, 38.8, 46.65, 41.3}},
    {"GG", "GE", "GEO", "Georgia", NULL, {40.0, 41.05, 46.75, 43.6}},
    /* Europe */
    {"UK", "GB", "GBR", "United Kingdom", NULL, {-8.65, 49.9, 1.8, 60.9}},
    {"EI", "IE", "IRL", "Ireland", NULL, {-10.5, 51.4, -6.0, 55.4}},
    {"FR", "FR", "FRA", "France", NULL, {-5.15, 41.3, 9.6, 51.1}},
    {"GM", "DE", "DEU", "Germany", NULL, {5.85, 47.25, 15.05, 55.1}},
    {"SP", "ES", "ESP", "Spain", NULL, {-9.35, 35.9, 4.35, 43.8}},
    {"PO", "PT", "PRT", "Portugal", NULL, {-9.55, 36.95, -6.2, 42.15}},
    {"IT", "IT", "ITA", "Italy", NULL, {6.6, 35.45, 18.55, 47.1}},
    {"SZ", "CH", "CHE", "Switzerland", NULL, {5.95, 45.8, 10.5, 47.8}},
    {"AU", "AT", "AUT", "Austria", NULL, {9.5, 46.35, 17.2, 49.05}},
    {"BE", "BE", "BEL", "Belgium", NULL, {2.5, 49.5, 6.4, 51.5}},
    {"NL", "NL", "NLD", "Netherlands", NULL, {3.35, 50.75, 7.25, 53.6}},
    {"DA", "DK", "DNK", "Denmark", NULL, {8.05, 54.55, 15.2, 57.75}},
    {"NO", "NO", "NOR", "Norway", NULL, {4.6, 57.95, 31.1, 71.2}},
    {"SW", "SE", "SWE", "Sweden", NULL, {11.1, 55.3, 24.2, 69.1}},
    {"FI", "FI", "FIN", "Finland", NULL, {20.5, 59.8, 31.6, 70.1}},
    {"IC", "IS", "ISL", "Iceland", NULL, {-24.55, 63.3, -13.5, 66.55}},
    {"PL", "PL", "POL", "Poland", NULL, {14.1, 49.0, 24.15, 54.85}},
    {"EZ", "CZ", "CZE", "Czechia", "Czech Republic", {12.1, 48.55, 18.9, 51.05}},
    {"LO", "SK", "SVK", "Slovakia", NULL, {16.8, 47.7, 22.6, 49.6}},
    {"HU", "HU", "HUN", "Hungary", NULL, {16.1, 45.7, 22.9, 48.6}},
    {"RO", "RO", "ROU", "Romania", NULL, {20.25, 43.6, 29.7, 48.3}},
    {"BU", "BG", "BGR", "Bulgaria", NULL, {22.35, 41.2, 28.65, 44.2}},
    {"GR", "GR", "GRC", "Greece", NULL, {19.35, 34.8, 28.25, 41.75}},
    {"AL", "AL", "ALB", "Albania", NULL, {19.25, 39.6, 21.1, 42.7}},
    {"MK", "MK", "MKD", "North Macedonia", "Macedonia", {20.45, 40.85, 23.05, 42.4}},
    {"RI", "RS", "SRB", "Serbia", NULL, {18.8, 42.2, 23.0, 46.2}},
    {"KV", "XK", "XKX", "Kosovo", NULL, {20.0, 41.85, 21.8, 43.3}},
    {"BK", "BA", "BIH", "Bosnia and Herzegovina", "Bosnia-Herzegovina",
     {15.7, 42.55, 19.65, 45.3}},
    {"HR", "HR", "HRV", "Croatia", NULL, {13.45, 42.35, 19.45, 46.55}},
    {"SI", "SI", "SVN", "Slovenia", NULL, {13.35, 45.4, 16.6, 46.9}},
    {"MJ", "ME", "MNE", "Montenegro", NULL, {18.4, 41.85, 20.4, 43.55}},
    {"MD", "MD", "MDA", "Moldova", NULL, {26.6, 45.45, 30.15, 48.5}},
    {"UP", "UA", "UKR", "Ukraine", NULL, {22.1, 44.35, 40.25, 52.4}},
    {"BO", "BY", "BLR", "Belarus", NULL, {23.15, 51.25, 32.8, 56.2}},
    {"LH", "LT", "LTU", "Lithuania", NULL, {20.9, 53.9, 26.85, 56.45}},
    {"LG", "LV", "LVA", "Latvia", NULL, {20.95, 55.65, 28.25, 58.1}},
    {"EN", "EE", "EST", "Estonia", NULL, {21.75, 57.5, 28.25, 59.7}},
    {"RS", "RU", "RUS", "Russia", "Russian Federation", {19.6, 41.15, 180.0, 81.9}},
    /* Central, South and East Asia, Oceania */
    {"KZ", "KZ", "KAZ", "Kazakhstan", NULL, {46.45, 40.55, 87.35, 55.45}},
    {"UZ", "UZ", "UZB", "Uzbekistan", NULL, {55.95, 37.15, 73.15, 45.6}},
    {"TX", "TM", "TKM", "Turkmenistan", NULL, {52.45, 35.1, 66.7, 42.8}},
    {"TI", "TJ", "TJK", "Tajikistan", NULL, {67.35, 36.65, 75.15, 41.05}},
    {"KG", "KG", "KGZ", "Kyrgyzstan", NULL, {69.25, 39.15, 80.3, 43.25}},
    {"AF", "AF", "AFG", "Afghanistan", NULL, {60.5, 29.35, 74.9, 38.5}},
    {"PK", "PK", "PAK", "Pakistan", NULL, {60.85, 23.65, 77.85, 37.1}},
    {"IN", "IN", "IND", "India", NULL, {68.1, 6.7, 97.4, 35.5}},
    {"BG", "BD", "BGD", "Bangladesh", NULL, {88.0, 20.7, 92.7, 26.65}},
    {"NP", "NP", "NPL", "Nepal", NULL, {80.05, 26.35, 88.2, 30.45}},
    {"CE", "LK", "LKA", "Sri Lanka", NULL, {79.65, 5.9, 81.9, 9.85}},
    {"BM", "MM", "MMR", "Myanmar", "Burma", {92.15, 9.75, 101.2, 28.55}},
    {"TH", "TH", "THA", "Thailand", NULL, {97.35, 5.6, 105.65, 20.5}},
    {"CB", "KH", "KHM", "Cambodia", NULL, {102.3, 10.4, 107.65, 14.7}},
    {"LA", "LA", "LAO", "Laos", NULL, {100.1, 13.9, 107.7, 22.5}},
    {"VM", "VN", "VNM", "Vietnam", NULL, {102.15, 8.4, 109.5, 23.4}},
    {"CH", "CN", "CHN", "China", NULL, {73.5, 18.15, 134.8, 53.55}},
    {"MG", "MN", "MNG", "Mongolia", NULL, {87.75, 41.55, 119.95, 52.15}},
    {"KN", "KP", "PRK", "North Korea", NULL, {124.2, 37.65, 130.7, 43.0}},
    {"KS", "KR", "KOR", "South Korea", NULL, {125.9, 33.1, 129.6, 38.6}},
    {"JA", "JP", "JPN", "Japan", NULL, {129.4, 30.95, 145.85, 45.55}},
    {"TW", "TW", "TWN", "Taiwan", NULL, {120.0, 21.9, 122.0, 25.3}},
    {"RP", "PH", "PHL", "Philippines", NULL, {116.9, 4.6, 126.6, 21.1}},
    {"MY", "MY", "MYS", "Malaysia", NULL, {99.6, 0.85, 119.3, 7.4}},
    {"ID", "ID", "IDN", "Indonesia", NULL, {95.0, -11.0, 141.05, 6.1}},
    {"AS", "AU", "AUS", "Australia", NULL, {112.9, -43.65, 153.65, -10.65}},
    {"NZ", "NZ", "NZL", "New Zealand", NULL, {166.4, -47.3, 178.6, -34.4}},
    /* Africa */
    {"LY", "LY", "LBY", "Libya", NULL, {9.3, 19.5, 25.15, 33.2}},
    {"TS", "TN", "TUN", "Tunisia", NULL, {7.5, 30.2, 11.6, 37.55}},
    {"AG", "DZ", "DZA", "Algeria", NULL, {-8.7, 18.95, 12.0, 37.1}},
    {"MO", "MA", "MAR", "Morocco", NULL, {-13.2, 27.65, -1.0, 35.95}},
    {"WI", "EH", "ESH", "Western Sahara", NULL, {-17.1, 20.75, -8.65, 27.7}},
    {"MR", "MR", "MRT", "Mauritania", NULL, {-17.1, 14.7, -4.8, 27.3}},
    {"ML", "ML", "MLI", "Mali", NULL, {-12.25, 10.15, 4.25, 25.0}},
    {"NG", "NE", "NER", "Niger", NULL, {0.15, 11.7, 16.0, 23.5}},
    {"CD", "TD", "TCD", "Chad", NULL, {13.45, 7.45, 24.0, 23.45}},
    {"SU", "SD", "SDN", "Sudan", NULL, {21.8, 8.65, 38.6, 22.25}},
    {"OD", "SS", "SSD", "South Sudan", NULL, {24.1, 3.5, 35.95, 12.25}},
    {"ET", "ET", "ETH", "Ethiopia", NULL, {33.0, 3.4, 48.0, 14.9}},
    {"ER", "ER", "ERI", "Eritrea", NULL, {36.4, 12.35, 43.15, 18.0}},
    {"DJ", "DJ", "DJI", "Djibouti", NULL, {41.75, 10.9, 43.45, 12.7}},
    {"SO", "SO", "SOM", "Somalia", NULL, {40.95, -1.7, 51.4, 12.0}},
    {"KE", "KE", "KEN", "Kenya", NULL, {33.9, -4.7, 41.9, 5.05}},
    {"UG", "UG", "UGA", "Uganda", NULL, {29.55, -1.5, 35.05, 4.25}},
    {"RW", "RW", "RWA", "Rwanda", NULL, {28.85, -2.85, 30.9, -1.05}},
    {"BY", "BI", "BDI", "Burundi", NULL, {29.0, -4.5, 30.85, -2.3}},
    {"TZ", "TZ", "TZA", "Tanzania", NULL, {29.3, -11.75, 40.45, -0.99}},
    {"CG", "CD", "COD", "Democratic Republic of the Congo", "DR Congo",
     {12.2, -13.45, 31.3, 5.4}},
    {"CF", "CG", "COG", "Republic of the Congo", "Congo", {11.1, -5.05, 18.65, 3.7}},
    {"CT", "CF", "CAF", "Central African Republic", NULL, {14.4, 2.2, 27.45, 11.0}},
    {"CM", "CM", "CMR", "Cameroon", NULL, {8.5, 1.65, 16.2, 13.1}},
    {"NI", "NG", "NGA", "Nigeria", NULL, {2.65, 4.25, 14.7, 13.9}},
    {"BN", "BJ", "BEN", "Benin", NULL, {0.75, 6.2, 3.85, 12.4}},
    {"TO", "TG", "TGO", "Togo", NULL, {-0.15, 6.1, 1.8, 11.15}},
    {"GH", "GH", "GHA", "Ghana", NULL, {-3.25, 4.7, 1.2, 11.2}},
    {"IV", "CI", "CIV", "Cote d'Ivoire", "Ivory Coast", {-8.6, 4.35, -2.5, 10.75}},
    {"UV", "BF", "BFA", "Burkina Faso", NULL, {-5.5, 9.4, 2.4, 15.1}},
    {"LI", "LR", "LBR", "Liberia", NULL, {-11.5, 4.35, -7.35, 8.55}},
    {"SL", "SL", "SLE", "Sierra Leone", NULL, {-13.3, 6.9, -10.25, 10.0}},
    {"GV", "GN", "GIN", "Guinea", NULL, {-15.1, 7.2, -7.6, 12.7}},
    {"PU", "GW", "GNB", "Guinea-Bissau", NULL, {-16.75, 10.85, -13.6, 12.7}},
    {"SG", "SN", "SEN", "Senegal", NULL, {-17.55, 12.3, -11.35, 16.7}},
    {"GA", "GM", "GMB", "Gambia", NULL, {-16.85, 13.05, -13.8, 13.85}},
    {"GB", "GA", "GAB", "Gabon", NULL, {8.7, -3.95, 14.55, 2.35}},
    {"EK", "GQ", "GNQ", "Equatorial Guinea", NULL, {8.4, -1.5, 11.35, 3.8}},
    {"AO", "AO", "AGO", "Angola", NULL, {11.65, -18.05, 24.1, -4.35}},
    {"ZA", "ZM", "ZMB", "Zambia", NULL, {21.95, -18.1, 33.7, -8.2}},
    {"ZI", "ZW", "ZWE", "Zimbabwe", NULL, {25.2, -22.45, 33.1, -15.6}},
    {"MZ", "MZ", "MOZ", "Mozambique", NULL, {30.2, -26.9, 40.85, -10.45}},
    {"MI", "MW", "MWI", "Malawi", NULL, {32.65, -17.15, 35.95, -9.35}},
    {"MA", "MG", "MDG", "Madagascar", NULL, {43.2, -25.65, 50.5, -11.9}},
    {"SF", "ZA", "ZAF", "South Africa", NULL, {16.45, -34.85, 32.9, -22.1}},
    {"WA", "NA", "NAM", "Namibia", NULL, {11.7, -28.95, 25.3, -16.95}},
    {"BC", "BW", "BWA", "Botswana", NULL, {19.95, -26.9, 29.4, -17.75}},
    /* the Americas */
    {"US", "US", "USA", "United States", "United States of America",
     {-125.0, 24.5, -66.9, 49.4}},
    {"CA", "CA", "CAN", "Canada", NULL, {-141.0, 41.7, -52.6, 83.1}},
    {"MX", "MX", "MEX", "Mexico", NULL, {-117.15, 14.5, -86.7, 32.75}},
    {"GT", "GT", "GTM", "Guatemala", NULL, {-92.25, 13.7, -88.2, 17.85}},
    {"HO", "HN", "HND", "Honduras", NULL, {-89.35, 12.95, -83.1, 16.5}},
    {"ES", "SV", "SLV", "El Salvador", NULL, {-90.15, 13.15, -87.7, 14.45}},
    {"NU", "NI", "NIC", "Nicaragua", NULL, {-87.7, 10.7, -83.1, 15.05}},
    {"CS", "CR", "CRI", "Costa Rica", NULL, {-85.95, 8.0, -82.55, 11.25}},
    {"PM", "PA", "PAN", "Panama", NULL, {-83.05, 7.2, -77.15, 9.65}},
    {"CU", "CU", "CUB", "Cuba", NULL, {-85.0, 19.8, -74.1, 23.3}},
    {"HA", "HT", "HTI", "Haiti", NULL, {-74.5, 18.0, -71.6, 20.1}},
    {"DR", "DO", "DOM", "Dominican Republic", NULL, {-72.05, 17.5, -68.3, 19.95}},
    {"CO", "CO", "COL", "Colombia", NULL, {-79.05, -4.25, -66.85, 12.5}},
    {"VE", "VE", "VEN", "Venezuela", NULL, {-73.4, 0.6, -59.8, 12.2}},
    {"EC", "EC", "ECU", "Ecuador", NULL, {-81.1, -5.0, -75.2, 1.7}},
    {"PE", "PE", "PER", "Peru", NULL, {-81.35, -18.35, -68.65, -0.05}},
    {"BR", "BR", "BRA", "Brazil", NULL, {-74.0, -33.75, -34.8, 5.3}},
    {"BL", "BO", "BOL", "Bolivia", NULL, {-69.65, -22.9, -57.45, -9.65}},
    {"PA", "PY", "PRY", "Paraguay", NULL, {-62.65, -27.6, -54.25, -19.3}},
    {"CI", "CL", "CHL", "Chile", NULL, {-75.7, -55.95, -66.4, -17.5}},
    {"AR", "AR", "ARG", "Argentina", NULL, {-73.6, -55.1, -53.6, -21.8}},
    {"UY", "UY", "URY", "Uruguay", NULL, {-58.45, -35.0, -53.1, -30.1}},
};
#define N_COUNTRIES (sizeof(countries) / sizeof(countries[0]))

/* Is table name b the name whose normal form is key (case, accents,
 * parentheses: "Yemen (North Yemen)" is Yemen)? A name that starts with an
 * ASCII letter or digit has its lower case as the first byte of its normal
 * form, so most of the table is passed over without normalising it. */
static bool
same_name(const char *key, const char *b)
{
    struct truce_buf y;
    bool same;
    if (isalnum((unsigned char)b[0]) &&
        tolower((unsigned char)b[0]) != (unsigned char)key[0])
        return false;
    truce_buf_init(&y, 0);
    same = !truce_normalise(b, strlen(b), &y) && !strcmp(key, y.buf);
    truce_buf_release(&y);
    return same;
}

const struct truce__country *
truce__country_find_name(const char *name)
{
    struct truce_buf key;
    const struct truce__country *found = NULL;
    if (!name)
        return NULL;
    truce_buf_init(&key, 0);
    if (!truce_normalise(name, strlen(name), &key) && key.len) {
        for (size_t i = 0; !found && i < N_COUNTRIES; i++)
            if (same_name(key.buf, countries[i].name) ||
                (countries[i].alias && same_name(key.buf, countries[i].alias)))
                found = &countries[i];
    }
    truce_buf_release(&key);
    return found;
}

const struct truce__country *
truce__country_find(const char *area)
{
    const char *v = area ? strchr(area, ':') : NULL;
    size_t scheme;
    if (!v || !v[1])
        return NULL;
    scheme = (size_t)(v - area);
    v++;
    for (size_t i = 0; i < N_COUNTRIES; i++) {
        const struct truce__country *c = &countries[i];
        if ((scheme == 4 && !strncmp(area, "fips", 4) && c->fips[0] &&
             !strcasecmp(v, c->fips)) ||
            (scheme == 3 && !strncmp(area, "iso", 3) && c->iso2[0] &&
             !strcasecmp(v, c->iso2)) ||
            (scheme == 4 && !strncmp(area, "iso3", 4) && c->iso3[0] &&
             !strcasecmp(v, c->iso3)))
            return c;
    }
    return scheme == 4 && !strncmp(area, "name", 4)
               ? truce__country_find_name(v)
               : NULL;
}
