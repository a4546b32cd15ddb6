"""latentdigits: the book layer of Latent Digits, on top of the `vaebook` library.

Where things are:

    experiments   every run the book trains (name, configuration, seeds) and how it loads them
    reports       what the five course reports logged, which the chapters compare against
    text          the book's words for figures and tables in both languages, and the small
                  helpers that write numbers and phrases (defined once, unit-tested)
    tables        the Markdown tables
    glossary      the glossary's terms
    figures       the `figure`/`table` decorators that tie each label to the function
                  that draws it and to the library functions behind it
    chapters/     one module per chapter: `facts(lang)` with the chapter's numbers and
                  verdicts, and one function per figure or table, named after its label
                  (fig-beta-vae-rate-distortion -> fig_rate_distortion)
    build         renders both editions with Quarto, executing each chapter once per edition
    cli           the `vaebook` command

A figure in chapter X is drawn by `latentdigits.chapters.X.fig_...`, which calls one
function of `vaebook.plots`. A new model family belongs in `vaebook.families`; a new
experiment in `experiments.EXPERIMENTS`.
"""
