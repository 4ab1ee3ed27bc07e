// Adds a blank contact or order line to an inline formset: copies the formset's empty
// form (a <template>), numbers it and counts it in the management form.
(function () {
  "use strict";
  document.querySelectorAll("[data-formset]").forEach(function (fieldset) {
    var prefix = fieldset.getAttribute("data-formset");
    var total = fieldset.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    var template = fieldset.querySelector("template[data-empty-form]");
    var list = fieldset.querySelector("[data-forms]");
    var button = fieldset.querySelector("[data-add-form]");
    if (!total || !template || !list || !button) {
      return;
    }
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      list.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, String(index)));
      total.value = String(index + 1);
      var first = list.lastElementChild.querySelector("select, input:not([type=hidden]), textarea");
      if (first) {
        first.focus();
      }
    });
  });
})();
