"""The explorer's pages, one module per page, and what they share (`common`, `draw`).

app.py registers each module's `page` with `st.navigation`. The folder is not called `pages/`:
Streamlit would take a `pages/` folder beside app.py for its older multipage layout on the first
run of a process, and a shared link opened first would land on a blank page.
"""
