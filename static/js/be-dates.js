/* The admin's calendar writes and reads the year as the page's reader counts it: BE
   (CE + 543) when the page is in Thai, as the date inputs show it (core.forms). The
   server takes either; this keeps a picked date from showing a CE year in a Thai form. */
(function () {
  "use strict";
  if (!(document.documentElement.lang || "").startsWith("th")) return;
  const BE_OFFSET = 543;
  const BE_THRESHOLD = 2400;
  const ceStrftime = Date.prototype.strftime;
  if (ceStrftime && !ceStrftime.beYears) {
    Date.prototype.strftime = function (format) {
      const be = String(this.getFullYear() + BE_OFFSET);
      return ceStrftime.call(this, format.replace(/%Y/g, be));
    };
    Date.prototype.strftime.beYears = true;
  }
  const ceStrptime = String.prototype.strptime;
  if (ceStrptime && !ceStrptime.beYears) {
    String.prototype.strptime = function (format) {
      const date = ceStrptime.call(this, format);
      if (date.getFullYear() > BE_THRESHOLD) date.setFullYear(date.getFullYear() - BE_OFFSET);
      return date;
    };
    String.prototype.strptime.beYears = true;
  }
  // The calendar's caption ("พฤศจิกายน 2026") names the month by its BE year too.
  const ns = window.CalendarNamespace;
  if (ns && !ns.draw.beYears) {
    const ceDraw = ns.draw;
    ns.draw = function (month, year, divId) {
      ceDraw.apply(this, arguments);
      const caption = document.querySelector("#" + divId + " caption");
      if (caption) caption.textContent = ns.monthsOfYear[month - 1] + " " + (year + BE_OFFSET);
    };
    ns.draw.beYears = true;
  }
})();
