// Show only the roles (and the sector field) that fit the chosen team or expert group.
(function () {
  const target = document.getElementById("id_target");
  const role = document.getElementById("id_role");
  const sector = document.getElementById("div_id_sector");
  if (!target || !role) return;
  const groups = role.querySelectorAll("optgroup");
  function update() {
    const kind = target.value.split(":")[0];
    groups.forEach(function (group, index) {
      const fits = !kind || (kind === "team" ? index === 0 : index === 1);
      group.disabled = !fits;
      group.hidden = !fits;
      if (!fits && role.selectedOptions[0] && role.selectedOptions[0].parentElement === group) {
        role.value = "";
      }
    });
    if (sector) sector.hidden = kind === "team";
  }
  target.addEventListener("change", update);
  update();
})();
