// Progressive enhancement only: every page works without this script.
// Forms marked data-confirm ask before they submit (e.g. disabling a user).
document.addEventListener('submit', function (e) {
  var msg = e.target.getAttribute && e.target.getAttribute('data-confirm');
  if (msg && !window.confirm(msg)) { e.preventDefault(); }
});
