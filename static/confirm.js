// Confirms as soon as a person sees the page. Mail scanners that merely fetch the link do
// not run this, so they cannot confirm a signature on someone's behalf.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("form[data-auto-submit]");
  if (!form) return;
  function submit() {
    if (document.visibilityState === "visible" && !form.dataset.sent) {
      form.dataset.sent = "1";
      form.submit();
    }
  }
  submit();
  document.addEventListener("visibilitychange", submit);
});
