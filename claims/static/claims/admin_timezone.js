'use strict';
// Names the browser's time zone to the server (config.middleware.AdminTimezoneMiddleware),
// which then shows and reads the admin's dates in it, instead of Django's date
// pickers warning "You are N hours ahead of server time" under every field.
// Set on every admin page, the login page included, so it is there before the
// first form with a date.
{
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && !document.cookie.split('; ').includes('veraz_tz=' + zone)) {
        const secure = window.location.protocol === 'https:' ? '; Secure' : '';
        document.cookie = 'veraz_tz=' + zone + '; path=/; max-age=31536000; SameSite=Lax' + secure;
    }
}
