-- The HTML of an unnumbered page (the preface): references to chapters and sections show their
-- numbers, as on every other page.
--
-- Quarto renders an unnumbered page of a book with `number-sections: false`, and on such a page
-- it writes a reference to a chapter as the chapter's number and title ("第 1 从自编码器到变分
-- 自编码器 章", "附录 附录 A — 课程报告"; quarto-dev/quarto-cli#9294). Here those references are
-- resolved first, from the numbering the book gives its chapter files: the edition's
-- `book.chapters` (numbered in order, unnumbered ones skipped) and `book.appendices` (A, B, ...),
-- their headings numbered within them.

if not quarto.doc.is_format("html") then
  return {}
end

local function read_lines(path)
  local file = io.open(path, "r")
  if not file then return {} end
  local lines = {}
  for line in file:lines() do table.insert(lines, line) end
  file:close()
  return lines
end

-- {id = {number = "2.3", file = "chapters/en/x.qmd", chapter = true|false}} for the headings
-- (levels 1 to 3) of each chapter file, outside code.
local function heading_numbers(files, appendix, numbers)
  local chapter = 0
  for _, file in ipairs(files) do
    local counters, fence, first = {0, 0, 0}, nil, true
    local label
    for _, line in ipairs(read_lines(pandoc.path.join({quarto.project.directory, file}))) do
      local marker = line:match("^%s*(```+)") or line:match("^%s*(~~~+)")
      if marker then
        if fence == nil then fence = marker elseif marker:sub(1, #fence) == fence then fence = nil end
      elseif fence == nil then
        local hashes, rest = line:match("^(#+)%s+(.*)$")
        if hashes and #hashes <= 3 then
          local level = #hashes
          local attributes = rest:match("{(.-)}%s*$") or ""
          local id = attributes:match("#([%w%-_:%.]+)")
          local unnumbered = attributes:find("%.unnumbered") or (" " .. attributes .. " "):find("%s%-%s")
          if level == 1 and first then
            first = false
            if unnumbered then break end  -- an unnumbered chapter: nothing in it is numbered
            chapter = chapter + 1
            label = appendix and string.char(64 + chapter) or tostring(chapter)
            if id then numbers[id] = {number = label, file = file, chapter = true} end
          elseif level > 1 and label and not unnumbered then
            counters[level - 1] = counters[level - 1] + 1
            for deeper = level, 3 do counters[deeper] = 0 end
            local parts = {label}
            for l = 1, level - 1 do table.insert(parts, tostring(counters[l])) end
            if id then numbers[id] = {number = table.concat(parts, "."), file = file, chapter = false} end
          end
        end
      end
    end
  end
end

local function stringify_list(list)
  local out = {}
  for _, item in ipairs(list or {}) do
    local text = pandoc.utils.stringify(item)
    if text:match("%.qmd$") and not text:match("^index%.") then table.insert(out, text) end
  end
  return out
end

function Pandoc(doc)
  local first
  for _, block in ipairs(doc.blocks) do
    if block.t == "Header" and block.level == 1 then first = block break end
  end
  if not (first and first.classes:includes("unnumbered")) then
    return nil
  end
  local book = doc.meta.book or {}
  local numbers = {}
  heading_numbers(stringify_list(book.chapters), false, numbers)
  heading_numbers(stringify_list(book.appendices), true, numbers)

  local language = quarto.doc.language or {}
  local here = pandoc.path.directory(pandoc.path.make_relative(quarto.doc.input_file, quarto.project.directory))
  return doc:walk({Cite = function(cite)
    if #cite.citations ~= 1 then return nil end
    local entry = numbers[cite.citations[1].id]
    if not entry then return nil end
    local text = entry.number
    if cite.citations[1].mode ~= "SuppressAuthor" then
      local prefix = entry.chapter
        and (entry.number:match("^%a") and language["crossref-apx-prefix"] or language["crossref-ch-prefix"])
        or language["crossref-sec-prefix"]
      text = (prefix or "") .. "\u{a0}" .. text
    end
    local target = pandoc.path.make_relative(entry.file:gsub("%.qmd$", ".html"), here ~= "" and here or ".")
    if not entry.chapter then target = target .. "#" .. cite.citations[1].id end
    return pandoc.Link({pandoc.Span(pandoc.Str(text))}, target, "", pandoc.Attr("", {"quarto-xref"}))
  end})
end
