// Chronicle's only script. Pages work without it; with it, the highlighted
// passage comes into view and an upload shows its progress.
document.addEventListener("DOMContentLoaded", () => {
  const hl = document.getElementById("hl");
  if (hl) hl.scrollIntoView({ block: "center" });

  const form = document.querySelector("form.upload");
  const bar = document.getElementById("upload-progress");
  if (form && bar) {
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      bar.hidden = false;
      xhr.upload.addEventListener("progress", (p) => {
        if (p.lengthComputable) bar.value = Math.round((100 * p.loaded) / p.total);
      });
      // The server answers with the stored report's page (after its redirect), or an error page.
      xhr.addEventListener("load", () => {
        if (xhr.status === 200 && xhr.responseURL) {
          window.location.assign(xhr.responseURL);
        } else {
          const page = new DOMParser().parseFromString(xhr.responseText, "text/html");
          const why = page.querySelector(".error");
          let note = form.querySelector("p.error");
          if (!note) {
            note = document.createElement("p");
            note.className = "error";
            form.appendChild(note);
          }
          note.textContent = why ? why.textContent : "The upload failed (" + xhr.status + ").";
          bar.hidden = true;
        }
      });
      xhr.send(new FormData(form));
    });
  }
});
