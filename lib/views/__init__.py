"""Page models: what each screen shows, computed without Streamlit (Portfolio, Article, Compare,
Upload). Pure where they can be; loaders that read the cache go through `lib.store`."""
