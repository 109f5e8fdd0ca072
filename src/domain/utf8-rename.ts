/**
 * The one advice for a file or folder name that is not UTF-8 (`scan`'s problems, `library add`, `--data-dir`):
 * such names are nearly always Windows-1252 (a zip made on Windows, an old Samba share), of which Latin-1 is
 * a part, so cp1252 reads both; two places gave two different commands for the same fix. `-r` renames
 * the names inside too, and `--notest` makes convmv act rather than only show what it would do.
 */
export const UTF8_RENAME_COMMAND = "convmv -r -f cp1252 -t utf8 --notest FOLDER";
