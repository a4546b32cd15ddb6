-- Claims in the prose: `[the rate falls at every step]{#c-beta-rate-falls .claim}`.
--
-- A chapter's kernel has just checked each claim its page cites against the cached numbers
-- (latentdigits/claims.py) and left the evidence in .quarto/claims/<profile>-<lang>.json.
-- In the HTML a claim becomes a focusable span that shows its evidence when the reader points
-- at it or tabs to it (offline.scss draws it; no script). A claim that a reader's own change
-- made false is marked in the page, evidence visible. The PDF shows the sentence as plain
-- text, with the same mark where a claim fails. On the quick profile's pages, a notice at the
-- top says that their numbers are a preview (`quick-notice` in _quarto-quick.yml).

local evidence = nil
local lang = "en"
local words = {}

local function read_evidence(profile)
  local root = (quarto.project and quarto.project.directory) or "."
  local path = root .. "/.quarto/claims/" .. profile .. "-" .. lang .. ".json"
  local file = io.open(path, "r")
  if not file then
    return {}
  end
  local text = file:read("a")
  file:close()
  local ok, decoded = pcall(pandoc.json.decode, text, false)
  return ok and decoded or {}
end

local function text_of(value)
  if value == nil then
    return nil
  end
  return pandoc.utils.stringify(value)
end

local function localized(meta, key)
  local value = meta[key]
  if type(value) == "table" and value[lang] ~= nil then
    return text_of(value[lang])
  end
  return text_of(value)
end

function Meta(meta)
  lang = (text_of(meta.lang) or "en"):sub(1, 2)
  words.fails = text_of(meta["claim-fails"]) or "does not hold with these numbers"
  words.quick = localized(meta, "quick-notice")
  evidence = read_evidence(words.quick and "quick" or "full")
end

local function fails_mark(found)
  local note = words.fails .. ": " .. found.evidence
  if quarto.doc.is_format("html") then
    return pandoc.Span(pandoc.Str("✗ " .. note), pandoc.Attr("", { "claim-verdict" }))
  end
  return pandoc.RawInline("typst", "#text(fill: rgb(\"#b00020\"))[" ..
    (" ✗ " .. note):gsub("[%[%]#\\*_`$@<]", "\\%0") .. "]")
end

function Span(span)
  local id = span.identifier
  if not span.classes:includes("claim") or not id:match("^c%-") then
    return nil
  end
  local found = evidence and evidence[id]
  if not quarto.doc.is_format("html") then
    local inlines = pandoc.Inlines(span.content)
    if found and found.mark then
      inlines:insert(fails_mark(found))
    end
    return inlines
  end
  -- The same claim may be cited twice on a page: the id moves to an attribute.
  span.identifier = ""
  span.attributes["data-claim"] = id
  span.attributes["tabindex"] = "0"
  if found then
    span.attributes["data-evidence"] = found.evidence
    span.attributes["aria-description"] = found.evidence
    if found.mark then
      span.classes:insert("claim-fails")
      return { span, pandoc.Space(), fails_mark(found) }
    end
  end
  return span
end

function Pandoc(doc)
  if words.quick then
    local text = pandoc.read(words.quick, "markdown").blocks
    local notice = pandoc.Div(text, pandoc.Attr("", { "quick-notice" }))
    if not quarto.doc.is_format("html") then
      notice = pandoc.Div({ pandoc.RawBlock("typst", "#block(fill: luma(235), inset: 8pt, width: 100%)["),
        table.unpack(text), pandoc.RawBlock("typst", "]") })
    end
    -- After the page's first heading, so that the notice is the first thing under the title.
    local at = 1
    for i, block in ipairs(doc.blocks) do
      if block.t == "Header" then
        at = i + 1
        break
      end
    end
    doc.blocks:insert(at, notice)
  end
  return doc
end

return { { Meta = Meta }, { Span = Span, Pandoc = Pandoc } }
