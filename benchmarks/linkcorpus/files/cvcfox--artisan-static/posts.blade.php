@extends('_layouts.master')

@section('title', 'Portfolio')

@section('content')

<script src="https://cdn.jsdelivr.net/npm/publicalbum@latest/embed-ui.min.js" async></script>
<div class="pa-gallery-player-widget" style="width:100%; height:480px; display:none;"
  data-link="https://photos.app.goo.gl/ufdKbzK98DrEaFxp9"
  data-title="Portfolio"
  data-description="12 new photos added to shared album">
  <object data="https://lh3.googleusercontent.com/vekgTH70OXQj6Pf8MwmxNvA_4qQeO60w-rekczmwdafbZto56UgtFQOVN1EQeFveYYs_QmLHn0bir3_b2Hn_SZ-fN9JC53uoGQZsJNWkTkrl6ohfhpRu5Mm_We5I2-MhcO_UwbBmhyI=w1920-h1080"></object>
  <object data="https://lh3.googleusercontent.com/-RJcC3UFS51aRzqj4FNMbibBzCg2O3ckRaeOL77J5994f7r1E8Wyk1MbwQHaNaRUSMn8pFF6a6atyn03PrkHqOHsKi0zGL4QizUFC_lZEnM5f5-tEUkurrNAGILrTxwAA8hpzGZUL9I=w1920-h1080"></object>
</div>
