// Chronicle's only script: bring the highlighted passage into view. Pages work without it.
document.addEventListener("DOMContentLoaded", () => {
  const hl = document.getElementById("hl");
  if (hl) hl.scrollIntoView({ block: "center" });
});
