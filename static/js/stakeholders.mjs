// The stakeholder map: move markers on the power/interest grid by dragging (pointer events, so
// mouse, pen and touch all work) or with the keyboard (arrow keys, Enter saves, Escape cancels).
// Either way the new cell is POSTed with the version the page showed; the server answers with
// the re-rendered map (or, on a conflict, the current map and the reason), which htmx swaps in.
// Without JavaScript, each stakeholder's page has a plain form to do the same.
//
// Also: details of a marker on hover and focus, and on the "add a stakeholder" page, choosing a
// suggested actor from the register fills in its name and sector.

const MAP_ID = "stakeholder-map";

const announcer = () => document.getElementById("stakeholder-announcer");

function announce(text) {
  const region = announcer();
  if (!region || !text) return;
  region.textContent = "";
  // A fresh text node each time, so screen readers read a repeated message again.
  window.setTimeout(() => {
    region.textContent = text;
  }, 50);
}

function format(template, values) {
  return (template || "").replace(/%\((\w+)\)s/g, (match, name) =>
    name in values ? String(values[name]) : match,
  );
}

function mapRoot() {
  return document.getElementById(MAP_ID);
}

function geometry(marker) {
  const svg = marker.ownerSVGElement;
  return {
    svg,
    cell: Number(svg.dataset.cell),
    left: Number(svg.dataset.left),
    top: Number(svg.dataset.top),
  };
}

function cellCentre(geo, power, interest) {
  // Matches stakeholders/grid.py cell_centre(): below the 20px band kept for quadrant names.
  const band = 20;
  return {
    x: geo.left + (interest - 1) * geo.cell + geo.cell / 2,
    y: geo.top + (5 - power) * geo.cell + band + (geo.cell - band) / 2,
  };
}

function cellAt(geo, x, y) {
  const clamp = (n) => Math.min(5, Math.max(1, n));
  return {
    interest: clamp(Math.floor((x - geo.left) / geo.cell) + 1),
    power: clamp(5 - Math.floor((y - geo.top) / geo.cell)),
  };
}

function quadrantName(power, interest) {
  const root = mapRoot();
  const high = 3;
  let key = "monitor";
  if (power >= high) key = interest >= high ? "keyPlayer" : "keepSatisfied";
  else if (interest >= high) key = "keepInformed";
  return root ? root.dataset[`quadrant${key[0].toUpperCase()}${key.slice(1)}`] || "" : "";
}

function place(marker, dx, dy) {
  if (dx === 0 && dy === 0) marker.removeAttribute("transform");
  else marker.setAttribute("transform", `translate(${dx.toFixed(1)} ${dy.toFixed(1)})`);
}

function save(marker, power, interest) {
  const root = mapRoot();
  marker.classList.add("stakeholder-marker--saving");
  announce(root ? root.dataset.msgSaving : "");
  window.htmx.ajax("POST", marker.dataset.moveUrl, {
    source: marker,
    target: `#${MAP_ID}`,
    swap: "outerHTML",
    values: { power, interest, version: marker.dataset.version },
  });
}

// --- Details on hover and focus --------------------------------------------------------------

function showDetails(marker) {
  const panel = document.getElementById("stakeholder-detail");
  if (!panel) return;
  panel.textContent = marker.getAttribute("aria-label") || "";
}

document.addEventListener("focusin", (event) => {
  const marker = event.target.closest && event.target.closest(".stakeholder-marker[role=button]");
  if (marker) showDetails(marker);
});
document.addEventListener("pointerover", (event) => {
  const marker = event.target.closest && event.target.closest(".stakeholder-marker[role=button]");
  if (marker) showDetails(marker);
});

// --- Keyboard ----------------------------------------------------------------------------------

const pending = new WeakMap(); // marker → {power, interest} chosen with the arrow keys

document.addEventListener("keydown", (event) => {
  const marker = event.target.closest && event.target.closest(".stakeholder-marker[data-move-url]");
  if (!marker || !marker.dataset.moveUrl) return;
  const root = mapRoot();
  const from = { power: Number(marker.dataset.power), interest: Number(marker.dataset.interest) };
  const current = pending.get(marker) || { ...from };
  const steps = {
    ArrowUp: [1, 0],
    ArrowDown: [-1, 0],
    ArrowRight: [0, 1],
    ArrowLeft: [0, -1],
  };
  if (event.key in steps) {
    event.preventDefault();
    const [dp, di] = steps[event.key];
    const next = {
      power: Math.min(5, Math.max(1, current.power + dp)),
      interest: Math.min(5, Math.max(1, current.interest + di)),
    };
    pending.set(marker, next);
    const geo = geometry(marker);
    const target = cellCentre(geo, next.power, next.interest);
    const origin = { x: Number(marker.dataset.cx), y: Number(marker.dataset.cy) };
    const same = next.power === from.power && next.interest === from.interest;
    place(marker, same ? 0 : target.x - origin.x, same ? 0 : target.y - origin.y);
    marker.classList.toggle("stakeholder-marker--moving", !same);
    announce(
      format(root && root.dataset.msgMoving, {
        name: marker.dataset.name,
        power: next.power,
        interest: next.interest,
        quadrant: quadrantName(next.power, next.interest),
      }),
    );
  } else if (event.key === "Enter" || event.key === " ") {
    const next = pending.get(marker);
    if (next && (next.power !== from.power || next.interest !== from.interest)) {
      event.preventDefault();
      save(marker, next.power, next.interest);
    }
  } else if (event.key === "Escape") {
    if (pending.has(marker)) {
      event.preventDefault();
      pending.delete(marker);
      place(marker, 0, 0);
      marker.classList.remove("stakeholder-marker--moving");
      announce(root ? root.dataset.msgCancelled : "");
    }
  }
});

// --- Pointer (mouse, pen, touch) ---------------------------------------------------------------

let drag = null;

function svgPoint(svg, event) {
  // From the rendered box and the viewBox (getScreenCTM() on the outer <svg> leaves out the
  // viewBox scaling in some browsers).
  const rect = svg.getBoundingClientRect();
  const view = svg.viewBox.baseVal;
  return {
    x: view.x + ((event.clientX - rect.left) * view.width) / rect.width,
    y: view.y + ((event.clientY - rect.top) * view.height) / rect.height,
  };
}

document.addEventListener("pointerdown", (event) => {
  if (event.button !== 0) return;
  const marker = event.target.closest && event.target.closest(".stakeholder-marker[data-move-url]");
  if (!marker || !marker.dataset.moveUrl) return;
  const geo = geometry(marker);
  drag = { marker, geo, start: svgPoint(geo.svg, event), moved: false, pointerId: event.pointerId };
  marker.setPointerCapture(event.pointerId);
  event.preventDefault();
  marker.focus({ preventScroll: true });
});

document.addEventListener("pointermove", (event) => {
  if (!drag || event.pointerId !== drag.pointerId) return;
  const point = svgPoint(drag.geo.svg, event);
  const dx = point.x - drag.start.x;
  const dy = point.y - drag.start.y;
  if (!drag.moved && Math.hypot(dx, dy) < 4) return;
  drag.moved = true;
  drag.marker.classList.add("stakeholder-marker--moving");
  place(drag.marker, dx, dy);
});

function endDrag(event, cancelled) {
  if (!drag || event.pointerId !== drag.pointerId) return;
  const { marker, geo, start, moved } = drag;
  drag = null;
  if (marker.hasPointerCapture(event.pointerId)) marker.releasePointerCapture(event.pointerId);
  marker.classList.remove("stakeholder-marker--moving");
  if (!moved || cancelled) {
    place(marker, 0, 0);
    return;
  }
  const point = svgPoint(geo.svg, event);
  const x = Number(marker.dataset.cx) + point.x - start.x;
  const y = Number(marker.dataset.cy) + point.y - start.y;
  const target = cellAt(geo, x, y);
  if (
    target.power === Number(marker.dataset.power) &&
    target.interest === Number(marker.dataset.interest)
  ) {
    place(marker, 0, 0); // dropped in its own cell: nothing to save
    return;
  }
  const centre = cellCentre(geo, target.power, target.interest);
  place(marker, centre.x - Number(marker.dataset.cx), centre.y - Number(marker.dataset.cy));
  save(marker, target.power, target.interest);
}

document.addEventListener("pointerup", (event) => endDrag(event, false));
document.addEventListener("pointercancel", (event) => endDrag(event, true));

// --- After the server answered -----------------------------------------------------------------

document.body.addEventListener("htmx:afterSettle", () => {
  const root = mapRoot();
  if (!root || !root.dataset.focusKey) return;
  const marker = document.getElementById(`map-marker-${root.dataset.focusKey}`);
  if (marker) marker.focus({ preventScroll: true });
  const problem = root.querySelector("[role=alert]");
  announce(root.dataset.savedNote || (problem ? problem.textContent.trim() : ""));
  delete root.dataset.focusKey;
});

// --- Add a stakeholder: a suggested actor fills in the form ------------------------------------

document.addEventListener("change", (event) => {
  const radio = event.target;
  if (!radio.matches || !radio.matches("input[name=actor][data-name]")) return;
  const form = radio.form;
  const name = form && form.querySelector("input[name=name]");
  const helix = form && form.querySelector("select[name=helix]");
  if (name) name.value = radio.dataset.name;
  if (helix) helix.value = radio.dataset.helix;
});
