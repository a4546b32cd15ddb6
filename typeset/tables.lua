-- Tables fit their columns, in the HTML and the PDF.
--
-- The book's tables are Markdown pipe tables written by its code. When a row is longer than
-- Pandoc's line width (72 characters) Pandoc gives each column the share of the width that its
-- dashes in the separator line have: equal shares here, so a column of long names got as little
-- room as a column of two-digit numbers, and names overprinted the next column or were broken
-- a character or two from their end. Instead the columns are sized by their content (the
-- browser's automatic table layout; in the PDF, widths computed below), columns of numbers are
-- set flush right and the others flush left (not centred, as the PDF's figures are), and a
-- name joined by hyphens (vae-bce, beta-0.25, vae-2d-softmax-ce) is kept on one line: it is a
-- model's name, not a phrase. A hyphenated run of digits (784-400-20) may still break.

local function is_name(text)
  return text:find("-", 1, true) and text:find("%a") and text:match("^[%w%._%-]+$") ~= nil
    and not text:match("^%-") and not text:match("%-$")
end

local function unbreakable(inline)
  if quarto.doc.is_format("typst") then
    local escaped = inline.text:gsub("\\", "\\\\"):gsub('"', '\\"')
    local body = inline.t == "Code" and ('NormalTok("' .. escaped .. '")') or ('"' .. escaped .. '"')
    return pandoc.RawInline("typst", "#box(" .. body .. ")")
  end
  return pandoc.Span(inline, pandoc.Attr("", {"nowrap"}))
end

local function keep_names(cell)
  local function keep(el)
    if is_name(el.text) then
      return unbreakable(el)
    end
  end
  return cell:walk({Str = keep, Code = keep})
end

-- A number as the tables print them: 1,234.5, −0.12, 12.3%, 1.25×, 98.12 ± 0.40.
local NUMBER = "^[%-+]?%d[%d,]*%.?%d*$"

local function is_number(text)
  text = text:gsub("\u{a0}", " "):gsub("\u{2212}", "-"):gsub("^%s+", ""):gsub("%s+$", "")
  text = text:gsub("%%$", ""):gsub("\u{d7}$", "")
  local mean, spread = text:match("^(.-)%s*±%s*(.-)$")
  if mean then
    return mean:match(NUMBER) ~= nil and spread:match(NUMBER) ~= nil
  end
  return text:match(NUMBER) ~= nil
end

local function cell_text(cell)
  return pandoc.utils.stringify(cell.contents)
end

local function numeric_columns(tbl)
  local numeric, seen = {}, {}
  for _, body in ipairs(tbl.bodies) do
    for _, row in ipairs(body.body) do
      for column, cell in ipairs(row.cells) do
        local text = cell_text(cell)
        if text ~= "" and text ~= "—" and text ~= "-" then
          seen[column] = true
          if numeric[column] == nil then numeric[column] = true end
          numeric[column] = numeric[column] and is_number(text)
        end
      end
    end
  end
  return numeric, seen
end

-- The PDF: column widths from the content. Typst shares the width of a table too wide for its
-- page evenly among its automatic columns, whatever their content, so a column of long names
-- is squeezed as much as a column of short numbers. Each column gets at least its longest
-- unbreakable word (a name, a number) and the room left is shared in proportion to what each
-- column would need to set its longest cell on one line, as a browser lays out a table. Widths
-- are counted in characters, a Chinese character as two.
local function wide(code)
  return (code >= 0x2E80 and code <= 0x9FFF) or (code >= 0xFF00 and code <= 0xFFEF)
end

local function width_of(text)
  local count = 0
  for _, code in utf8.codes(text) do
    count = count + (wide(code) and 2 or 1)
  end
  return count
end

local function has_wide(text)
  for _, code in utf8.codes(text) do
    if wide(code) then return true end
  end
  return false
end

local function longest_word(text)
  local longest = 0
  for word in text:gmatch("%S+") do
    if has_wide(word) then
      -- Chinese breaks between any two characters; a header is kept to four of them a line
      longest = math.max(longest, math.min(width_of(word), 8))
    elseif not is_name(word) and not word:find("%a") then
      -- a hyphenated run of digits may break at its hyphens
      for part in word:gmatch("[^%-]+%-?") do longest = math.max(longest, width_of(part)) end
    else
      longest = math.max(longest, width_of(word))
    end
  end
  return longest
end

local LINE = 100     -- characters of table type across the text width
local PADDING = 3    -- a cell's inset on both sides, in characters
local WIDE = 8       -- a table of this many columns or more is set smaller (typst-preamble.typ)
local SMALLER = 8.5 / 7.5

local function typst_widths(tbl)
  local least, most = {}, {}
  local function measure(rows)
    for _, row in ipairs(rows) do
      for column, cell in ipairs(row.cells) do
        local text = cell_text(cell)
        least[column] = math.max(least[column] or 1, longest_word(text))
        most[column] = math.max(most[column] or 1, width_of(text))
      end
    end
  end
  measure(tbl.head.rows)
  for _, body in ipairs(tbl.bodies) do measure(body.body) end
  local n, sum_least, sum_most = #tbl.colspecs, 0, 0
  for column = 1, n do
    least[column], most[column] = least[column] or 1, math.max(most[column] or 1, least[column] or 1)
    sum_least, sum_most = sum_least + least[column], sum_most + most[column]
  end
  local line = n >= WIDE and LINE * SMALLER or LINE
  local room = line - PADDING * n
  if sum_most <= room then
    return nil  -- every cell fits on one line: Typst's automatic widths
  end
  local share = sum_most > sum_least and math.max(room - sum_least, 0) / (sum_most - sum_least) or 0
  local widths, total = {}, 0
  for column = 1, n do
    widths[column] = least[column] + (most[column] - least[column]) * share + PADDING
    total = total + widths[column]
  end
  for column = 1, n do widths[column] = widths[column] / total end
  return widths
end

function Table(tbl)
  local numeric, seen = numeric_columns(tbl)
  local widths = quarto.doc.is_format("typst") and typst_widths(tbl) or nil
  for column, spec in ipairs(tbl.colspecs) do
    local align = spec[1]
    if align == "AlignDefault" and seen[column] then
      align = numeric[column] and "AlignRight" or "AlignLeft"
    end
    -- nil: the default width, sized by the content (the HTML, and a PDF table that fits)
    tbl.colspecs[column] = {align, widths and widths[column] or nil}
  end
  local function each_cell(rows)
    for _, row in ipairs(rows) do
      for i, cell in ipairs(row.cells) do
        row.cells[i] = keep_names(cell)
      end
    end
  end
  each_cell(tbl.head.rows)
  for _, body in ipairs(tbl.bodies) do
    each_cell(body.body)
  end
  return tbl
end
