"""British English as Lodestar's pages have always written it: the month in full ("6 December
2026", "6 Dec 2026, 10:41"), where Django's British formats abbreviate it or write 06/12/2026.
The other languages keep Django's own formats."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
